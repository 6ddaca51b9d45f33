// CRC-32C implementations side by side: slicing-by-8 (software), the SSE4.2
// crc32 instruction in three streams, and carry-less multiply folding fused
// with crc32 streams (AVX2 + VPCLMULQDQ), over the batch sizes the log sees.
//
//   crc32c_bench [--gib N]      (default 2 GiB of input per implementation and size)
//
// Throughput is measured in thread CPU time, so time the scheduler gives to
// other processes on a shared machine does not count; each row also gives the
// ratio to the SSE4.2 path measured in the same run. The implementations are
// interleaved in rounds and the median round is reported.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <vector>

#include "common/crc32c.h"

namespace {

double thread_cpu_s() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

using crc_fn = uint32_t (*)(const uint8_t*, size_t, uint32_t);

// GB/s (1e9 bytes) over `total` bytes of `buf`, repeated.
double measure(crc_fn fn, const std::vector<uint8_t>& buf, size_t total, uint32_t* sink) {
  const double t0 = thread_cpu_s();
  uint32_t c = *sink;
  for (size_t done = 0; done < total; done += buf.size()) c = fn(buf.data(), buf.size(), c);
  const double s = thread_cpu_s() - t0;
  *sink = c;
  return static_cast<double>(total) / s / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  double gib = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gib") == 0 && i + 1 < argc) gib = std::atof(argv[++i]);
  }
  if (!samsa::crc32c_hardware_available()) {
    std::printf("no SSE4.2 on this CPU: nothing to compare\n");
    return 0;
  }
  const bool folding = samsa::crc32c_folding_available();
  std::printf("CRC-32C, GB/s of thread CPU time, median of 5 rounds; folding available: %s\n", folding ? "yes" : "no");
  std::printf("%10s %10s %10s %10s %18s\n", "batch", "software", "sse4.2", "folding", "folding / sse4.2");
  std::mt19937 rng(1);
  uint32_t sink = 0;
  for (size_t size : {size_t{1} << 10, size_t{16} << 10, size_t{64} << 10, size_t{1} << 20}) {
    std::vector<uint8_t> buf(size);
    for (auto& b : buf) b = static_cast<uint8_t>(rng());
    const size_t total = static_cast<size_t>(gib * static_cast<double>(size_t{1} << 30)) / 5;
    std::vector<double> sw, hw, fo;
    for (int round = 0; round < 5; ++round) {
      sw.push_back(measure(samsa::crc32c_software, buf, total / 8, &sink));  // ~10x slower: less input
      hw.push_back(measure(samsa::crc32c_hardware, buf, total, &sink));
      if (folding) fo.push_back(measure(samsa::crc32c_folding, buf, total, &sink));
    }
    if (folding) {
      std::printf("%9zuK %10.1f %10.1f %10.1f %18.2f\n", size >> 10, median(sw), median(hw), median(fo),
                  median(fo) / median(hw));
    } else {
      std::printf("%9zuK %10.1f %10.1f %10s %18s\n", size >> 10, median(sw), median(hw), "-", "-");
    }
  }
  std::printf("(checksum of all rounds, to keep the work: %08x)\n", sink);
  return 0;
}
