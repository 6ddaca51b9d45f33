"""ApiVersions (key 18): every version, too-new versions, client software names, header quirks."""
from harness import Case, scenario

API_VERSIONS = 18
SOFTWARE = {"ClientSoftwareName": "samsa-differential", "ClientSoftwareVersion": "1.0"}


@scenario("api_versions.every_version")
def every_version(b):
    """Every version Kafka's schema defines, valid client software name from v3; the connection
    must stay usable afterwards."""
    return [Case("", v, b.call(API_VERSIONS, v, SOFTWARE, check_after=True))
            for v in b.versions(API_VERSIONS, extra_above=0)]


@scenario("api_versions.too_new_version")
def too_new_version(b):
    """A version above the broker's range gets a v0-format answer with UNSUPPORTED_VERSION and the
    ApiVersions range only (KIP-511), and the connection stays open."""
    top = b.versions(API_VERSIONS, extra_above=0)[-1]
    return [Case(f"v{v} answered as v0", None,
                 b.call(API_VERSIONS, v, SOFTWARE, response_version=0, response_header_version=0,
                        check_after=True))
            for v in (top + 1, top + 2, 127, 32767)]


@scenario("api_versions.negative_version")
def negative_version(b):
    """Version -1 in the header."""
    return [Case("v-1 answered as v0", None,
                 b.call(API_VERSIONS, -1, {}, response_version=0, body_version=0, check_after=True))]


@scenario("api_versions.client_software")
def client_software(b):
    """Client software name/version validation from v3 (INVALID_REQUEST when not
    [a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?)."""
    cases = []
    names = {"valid dotted": "a.b-c1", "empty": "", "leading dash": "-abc", "trailing dot": "abc.",
             "space": "has space", "underscore": "has_underscore", "non-ascii": "\u00fcn\u00efcode",
             "single char": "a"}
    for v in b.versions(API_VERSIONS, extra_above=0):
        if v < 3:
            continue
        for label, name in names.items():
            body = {"ClientSoftwareName": name, "ClientSoftwareVersion": "1.0"}
            cases.append(Case(f"name {label}", v, b.call(API_VERSIONS, v, body, check_after=True)))
            body = {"ClientSoftwareName": "ok", "ClientSoftwareVersion": name}
            cases.append(Case(f"version {label}", v, b.call(API_VERSIONS, v, body, check_after=True)))
    return cases


@scenario("api_versions.client_id")
def client_id(b):
    """Null, empty and long client ids in the request header."""
    return [Case(label, v, b.call(API_VERSIONS, v, SOFTWARE if v >= 3 else {}, client_id=cid))
            for label, cid in (("null", None), ("empty", ""), ("1000 chars", "c" * 1000))
            for v in (0, 3)]


@scenario("api_versions.unknown_tagged_fields")
def unknown_tagged_fields(b):
    """Unknown tagged fields in the v2 request header and in the body are ignored."""
    body = dict(SOFTWARE, _unknown_tags={"99": "0102"})
    return [Case("header tag 7", 3, b.call(API_VERSIONS, 3, SOFTWARE, header_tags={7: b"\x01"}, check_after=True)),
            Case("body tag 99", 3, b.call(API_VERSIONS, 3, body, check_after=True))]
