#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "build/context_manifest.h"
#include "build/context_tar.h"
#include "build/filesystem_context.h"
#include "build_fakes.h"

namespace run::build {

namespace {

using test::manifest_ok;
using test::MemoryContext;
using test::TempDirectory;

/// A path of 130 bytes, over ustar's 100-byte name field.
const std::string kLongPath =
    "deeply/" + std::string(60, 'n') + "/" + std::string(50, 'f') + ".txt";

MemoryContext tar_context() {
  MemoryContext context;
  context.file("Dockerfile", "FROM alpine\n");
  context.file("bin/start.sh", "#!/bin/sh\n", true);
  context.file("bin/lib/util.sh", "util\n");
  context.file("empty.txt", "");
  context.file(kLongPath, "long\n");
  context.file("block.bin", std::string(512, 'b'));
  context.link("current", "bin");
  return context;
}

std::string tar_of(const ContextTree& tree, const BuildManifest& manifest) {
  std::string archive;
  Status written = write_context_tar(tree, manifest, [&archive](std::string_view piece) {
    archive.append(piece);
    return true;
  });
  if (!written) FAIL("unexpected error: " << format_diagnostic(written.errors().front()));
  return archive;
}

std::string tar_error(const ContextTree& tree, const BuildManifest& manifest,
                      const TarSink& write) {
  Status written = write_context_tar(tree, manifest, write);
  REQUIRE_FALSE(written);
  return written.errors().front().message;
}

std::string command_output(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  CHECK(::pclose(pipe) == 0);
  return output;
}

unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::lstat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("context tar: entries in manifest order, parents first, with fixed modes and times") {
  MemoryContext context = tar_context();
  std::string archive = tar_of(context, manifest_ok(context));
  CHECK(archive.size() % 512 == 0);
  CHECK(archive.substr(archive.size() - 1024) == std::string(1024, '\0'));
  CHECK(archive == tar_of(context, manifest_ok(context)));  // the same bytes every time

  TempDirectory directory;
  { std::ofstream(directory.at("context.tar"), std::ios::binary) << archive; }
  std::string listing =
      command_output("tar --numeric-owner --full-time -tvf " + directory.at("context.tar"));
  CHECK(listing ==
        "-rw-r--r-- 0/0              12 1970-01-01 00:00:00 Dockerfile\n"
        "drwxr-xr-x 0/0               0 1970-01-01 00:00:00 bin/\n"
        "drwxr-xr-x 0/0               0 1970-01-01 00:00:00 bin/lib/\n"
        "-rw-r--r-- 0/0               5 1970-01-01 00:00:00 bin/lib/util.sh\n"
        "-rwxr-xr-x 0/0              10 1970-01-01 00:00:00 bin/start.sh\n"
        "-rw-r--r-- 0/0             512 1970-01-01 00:00:00 block.bin\n"
        "lrwxrwxrwx 0/0               0 1970-01-01 00:00:00 current -> bin\n"
        "drwxr-xr-x 0/0               0 1970-01-01 00:00:00 deeply/\n"
        "drwxr-xr-x 0/0               0 1970-01-01 00:00:00 deeply/" +
            std::string(60, 'n') +
            "/\n"
            "-rw-r--r-- 0/0               5 1970-01-01 00:00:00 " +
            kLongPath +
            "\n"
            "-rw-r--r-- 0/0               0 1970-01-01 00:00:00 empty.txt\n");
}

TEST_CASE("context tar: extracts to the same files, a long path and a link included") {
  TempDirectory source;
  source.write("Dockerfile", "FROM alpine\n");
  source.write("bin/start.sh", "#!/bin/sh\n", true);
  source.write(kLongPath, "long\n");
  source.write("data.bin", std::string(70 * 1024 + 3, 'd'));
  source.link("current", "bin/start.sh");
  source.link("far", std::string(120, 'l'));
  FilesystemContext context(source.path());
  BuildManifest manifest = manifest_ok(context);

  TempDirectory target;
  { std::ofstream(target.at("context.tar"), std::ios::binary) << tar_of(context, manifest); }
  std::filesystem::create_directories(target.at("out"));
  CHECK(std::system(("tar -xf " + target.at("context.tar") + " -C " + target.at("out")).c_str()) ==
        0);
  CHECK(target.read("out/Dockerfile") == "FROM alpine\n");
  CHECK(target.read("out/" + kLongPath) == "long\n");
  CHECK(target.read("out/data.bin") == std::string(70 * 1024 + 3, 'd'));
  CHECK(mode_of(target.at("out/bin/start.sh")) == 0755);
  CHECK(mode_of(target.at("out/Dockerfile")) == 0644);
  CHECK(std::filesystem::read_symlink(target.at("out/current")) == "bin/start.sh");
  CHECK(std::filesystem::read_symlink(target.at("out/far")) == std::string(120, 'l'));
  CHECK(manifest_ok(FilesystemContext(target.at("out"))).files.size() == manifest.files.size());
}

TEST_CASE("context tar: a refused write is 'interrupted'; a file changed since is named") {
  MemoryContext context = tar_context();
  BuildManifest manifest = manifest_ok(context);
  std::size_t allowed = 3;
  CHECK(tar_error(context, manifest, [&allowed](std::string_view) { return allowed-- > 0; }) ==
        "interrupted");
  std::size_t bytes = 0;
  CHECK(tar_error(context, manifest, [&bytes](std::string_view piece) {
          bytes += piece.size();
          return bytes < 2000;  // inside a file's content
        }) == "interrupted");

  auto accept = [](std::string_view) { return true; };
  MemoryContext grown = context;
  grown.change_content_only("bin/start.sh", "#!/bin/sh\nexec more\n");
  CHECK(tar_error(grown, manifest, accept) == "bin/start.sh changed while the context was sent");
  MemoryContext shrunk = context;
  shrunk.change_content_only("bin/start.sh", "#!\n");
  CHECK(tar_error(shrunk, manifest, accept) == "bin/start.sh changed while the context was sent");
  MemoryContext same_size = context;
  same_size.change_content_only("bin/start.sh", "#!/bin/zz\n");
  CHECK(tar_error(same_size, manifest, accept) ==
        "bin/start.sh changed while the context was sent");
  MemoryContext removed = context;
  removed.remove("bin/start.sh");
  CHECK(tar_error(removed, manifest, accept) == "cannot read bin/start.sh: no such file");
}

}  // namespace run::build
