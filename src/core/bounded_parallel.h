#pragma once

#include <cstddef>
#include <functional>

namespace run {

/// Runs task(0) .. task(count - 1) on at most `parallelism` threads (the caller's included)
/// and returns when all are done. Tasks are taken in index order; each must not throw.
void for_each_bounded(std::size_t count, std::size_t parallelism,
                      const std::function<void(std::size_t)>& task);

}  // namespace run
