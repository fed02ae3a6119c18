// The database holds what people wrote; only its owner may read it.
#pragma once

#include <string>

namespace microalign::storage {

// Creates `path` with mode 0600 if it does not exist, and takes group and other permissions off
// an existing file, before SQLite opens it. SQLite gives the -wal and -shm files the database
// file's mode, so they end up private too. Throws StorageError.
void make_private_file(const std::string& path);

}  // namespace microalign::storage
