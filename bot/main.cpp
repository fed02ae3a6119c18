#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return microalign::cli::main(microalign::cli::Args(argv + 1, argv + argc));
}
