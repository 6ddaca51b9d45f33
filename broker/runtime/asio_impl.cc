// The one translation unit that compiles Asio's implementation
// (BOOST_ASIO_SEPARATE_COMPILATION is set on samsa_runtime for every user).
#include <boost/asio/impl/src.hpp>
