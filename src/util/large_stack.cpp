#include "util/large_stack.hpp"

#include <pthread.h>

#include <exception>

namespace paddock::util {

void with_large_stack(const std::function<void()>& f) {
  constexpr size_t kStack = size_t(1) << 30;
  struct Job {
    const std::function<void()>* f;
    std::exception_ptr error;
  } job{&f, nullptr};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_t t;
  bool started = pthread_attr_setstacksize(&attr, kStack) == 0 &&
                 pthread_create(
                     &t, &attr,
                     [](void* p) -> void* {
                       auto* j = static_cast<Job*>(p);
                       try {
                         (*j->f)();
                       } catch (...) {
                         j->error = std::current_exception();
                       }
                       return nullptr;
                     },
                     &job) == 0;
  pthread_attr_destroy(&attr);
  if (!started) return f();  // no thread to be had: the caller's stack will do for ordinary tests
  pthread_join(t, nullptr);
  if (job.error) std::rethrow_exception(job.error);
}

}  // namespace paddock::util
