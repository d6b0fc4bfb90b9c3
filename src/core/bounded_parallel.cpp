#include "core/bounded_parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace run {

void for_each_bounded(std::size_t count, std::size_t parallelism,
                      const std::function<void(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t index = next++; index < count; index = next++) task(index);
  };
  std::size_t helpers =
      std::min(count, std::max<std::size_t>(parallelism, 1)) - (count > 0 ? 1 : 0);
  std::vector<std::thread> threads;
  threads.reserve(helpers);
  for (std::size_t i = 0; i < helpers; ++i) threads.emplace_back(worker);
  worker();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace run
