// The database holds what people wrote; only its owner may read it.
#pragma once

#include <string>

namespace microalign::storage {

// Creates `path` with mode 0600 if it does not exist, before SQLite opens it (SQLite would use
// 0644); an existing file is left as it is, since it may not be a database of ours. Throws
// StorageError.
void create_private_file(const std::string& path);

// Takes group and other permissions off `path`: for a file known to be ours. SQLite gives the
// -wal and -shm files the database file's mode, so they end up private too. Throws StorageError.
void make_private(const std::string& path);

}  // namespace microalign::storage
