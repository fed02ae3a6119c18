// The one translation unit that compiles Asio (BOOST_ASIO_SEPARATE_COMPILATION is set on
// microalign_asio): every other file only sees declarations, which keeps their builds fast.
// Asio's OpenSSL glue and Beast are compiled in asio_beast.cpp, for the code that needs them.
#include <boost/asio/impl/src.hpp>
