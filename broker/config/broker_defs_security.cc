// TLS, SASL and authorization configs. Sources: Kafka 4.0
// BrokerSecurityConfigs, SslConfigs, SaslConfigs, StandardAuthorizer; update
// modes from DynamicBrokerConfig (the listener and SSL/SASL sets are
// per-broker). JVM-dependent defaults are the usual OpenJDK ones (SunX509,
// PKIX).

#include "broker/config/broker_config_defs.h"

namespace samsa::broker::config::detail {

namespace {

using enum config_type;
using enum importance;

constexpr config_def defs[] = {
    define("authorizer.class.name", string, value(""), non_null(), low,
           "Java class authorizing requests; empty disables authorization."),
    define("super.users", string, null_default, medium,
           "Principals allowed everything, separated by semicolons (User:alice;User:bob).")
        .note("An authorizer setting, not part of Kafka's KafkaConfig definition; Kafka does not type it."),
    define("allow.everyone.if.no.acl.found", boolean, value("false"), medium,
           "Allow access to resources that have no ACLs.")
        .note("An authorizer setting, not part of Kafka's KafkaConfig definition; Kafka reads it leniently."),
    define("principal.builder.class", class_name,
           value("org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder"), medium,
           "Java class building the principal of a connection.")
        .per_broker(),
    define("connections.max.reauth.ms", int64, value("0"), medium,
           "Longest session before a SASL client must re-authenticate; 0 disables re-authentication."),
    define("sasl.server.max.receive.size", int32, value("524288"), medium,
           "Largest SASL message accepted before authentication."),
    define("security.providers", string, null_default, low, "Java security provider creator classes."),

    // --- TLS ---------------------------------------------------------------------
    define("ssl.client.auth", string, value("none"), valid_string("required", "requested", "none"), medium,
           "Whether clients must (required), may (requested) or need not (none) present a certificate.")
        .per_broker(),
    define("ssl.principal.mapping.rules", string, value("DEFAULT"), low,
           "Rules mapping certificate distinguished names to principal names."),
    define("ssl.allow.dn.changes", boolean, value("false"), low,
           "Allow a reconfigured keystore whose certificate has a different DN."),
    define("ssl.allow.san.changes", boolean, value("false"), low,
           "Allow a reconfigured keystore whose certificate has different SANs."),
    define("ssl.protocol", string, value("TLSv1.3"), medium, "TLS protocol used to create the SSL context.")
        .per_broker(),
    define("ssl.provider", string, null_default, medium, "Security provider for TLS.").per_broker(),
    define("ssl.enabled.protocols", list, value("TLSv1.2,TLSv1.3"), medium, "TLS protocols enabled.").per_broker(),
    define("ssl.keystore.type", string, value("JKS"), medium, "Key store file format.").per_broker(),
    define("ssl.keystore.location", string, null_default, medium, "Key store path.").per_broker(),
    define("ssl.keystore.password", password, null_default, medium, "Key store password.").per_broker(),
    define("ssl.key.password", password, null_default, medium, "Private key password.").per_broker(),
    define("ssl.keystore.key", password, null_default, medium, "Private key in PEM form.").per_broker(),
    define("ssl.keystore.certificate.chain", password, null_default, medium, "Certificate chain in PEM form.")
        .per_broker(),
    define("ssl.truststore.type", string, value("JKS"), medium, "Trust store file format.").per_broker(),
    define("ssl.truststore.location", string, null_default, medium, "Trust store path.").per_broker(),
    define("ssl.truststore.password", password, null_default, medium, "Trust store password.").per_broker(),
    define("ssl.truststore.certificates", password, null_default, medium, "Trusted certificates in PEM form.")
        .per_broker(),
    define("ssl.keymanager.algorithm", string, value("SunX509"), medium, "Key manager factory algorithm.")
        .per_broker(),
    define("ssl.trustmanager.algorithm", string, value("PKIX"), medium, "Trust manager factory algorithm.")
        .per_broker(),
    define("ssl.endpoint.identification.algorithm", string, value("https"), low,
           "Host name verification algorithm for the broker's own TLS clients.")
        .per_broker(),
    define("ssl.secure.random.implementation", string, null_default, low, "SecureRandom implementation.")
        .per_broker(),
    define("ssl.cipher.suites", list, value(""), medium, "Enabled cipher suites; empty means all supported.")
        .per_broker(),
    define("ssl.engine.factory.class", class_name, null_default, low, "Java class creating SSL engines.")
        .per_broker(),

    // --- SASL --------------------------------------------------------------------
    define("sasl.mechanism.inter.broker.protocol", string, value("GSSAPI"), medium,
           "SASL mechanism between brokers.")
        .per_broker(),
    define("sasl.enabled.mechanisms", list, value("GSSAPI"), medium, "SASL mechanisms the broker accepts.")
        .per_broker(),
    define("sasl.server.callback.handler.class", class_name, null_default, medium,
           "Java class handling SASL server callbacks."),
    define("sasl.kerberos.principal.to.local.rules", list, value("DEFAULT"), medium,
           "Rules mapping Kerberos principals to short names.")
        .per_broker(),
    define("sasl.jaas.config", password, null_default, medium, "JAAS login configuration.").per_broker(),
    define("sasl.client.callback.handler.class", class_name, null_default, medium,
           "Java class handling SASL client callbacks."),
    define("sasl.login.class", class_name, null_default, medium, "Java class implementing SASL login."),
    define("sasl.login.callback.handler.class", class_name, null_default, medium,
           "Java class handling SASL login callbacks."),
    define("sasl.kerberos.service.name", string, null_default, medium, "Kerberos principal name of the broker.")
        .per_broker(),
    define("sasl.kerberos.kinit.cmd", string, value("/usr/bin/kinit"), medium, "Kerberos kinit command path.")
        .per_broker(),
    define("sasl.kerberos.ticket.renew.window.factor", float64, value("0.8"), medium,
           "Fraction of the ticket lifetime after which renewal is attempted.")
        .per_broker(),
    define("sasl.kerberos.ticket.renew.jitter", float64, value("0.05"), medium,
           "Random jitter added to the renewal time.")
        .per_broker(),
    define("sasl.kerberos.min.time.before.relogin", int64, value("60000"), medium,
           "Least time between relogin attempts.")
        .per_broker(),
    define("sasl.login.refresh.window.factor", float64, value("0.8"), medium,
           "Fraction of the credential lifetime after which refresh is attempted.")
        .per_broker(),
    define("sasl.login.refresh.window.jitter", float64, value("0.05"), medium,
           "Random jitter added to the refresh time.")
        .per_broker(),
    define("sasl.login.refresh.min.period.seconds", int16, value("60"), medium,
           "Least time between credential refreshes.")
        .per_broker(),
    define("sasl.login.refresh.buffer.seconds", int16, value("300"), medium,
           "Time kept before credential expiry when refreshing.")
        .per_broker(),
};

}  // namespace

std::span<const config_def> security_config_defs() { return defs; }

}  // namespace samsa::broker::config::detail
