// The one translation unit that compiles Asio's OpenSSL glue and Beast
// (BOOST_BEAST_SEPARATE_COMPILATION is set on microalign_net); Asio itself is compiled in
// asio.cpp. Every other file only sees declarations, which keeps their builds fast.
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
