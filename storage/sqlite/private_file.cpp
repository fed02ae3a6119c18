#include "private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "error.hpp"

namespace microalign::storage {

void create_private_file(const std::string& path) {
  // O_EXCL: an existing file is not opened for writing at all, so it cannot be changed here.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) return;
  if (fd < 0) throw storage_error(path, "create", std::strerror(errno));
  ::close(fd);
}

void make_private(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw storage_error(path, "restrict permissions", std::strerror(errno));
  if ((st.st_mode & 077) == 0) return;
  if (::chmod(path.c_str(), st.st_mode & 0700) != 0) {
    throw storage_error(path, "restrict permissions", std::strerror(errno));
  }
}

}  // namespace microalign::storage
