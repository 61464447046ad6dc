#include "events/map_hw.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "util/diag.hpp"

namespace paddock::events {

HwTarget hw_target(const std::string& word) {
  if (word == "x86") return HwTarget::X86;
  if (word == "arm64") return HwTarget::Arm64;
  if (word == "arm64-lse") return HwTarget::Arm64Lse;
  throw std::invalid_argument("unknown architecture '" + word + "' (x86, arm64 or arm64-lse)");
}

const char* hw_target_name(HwTarget t) {
  switch (t) {
    case HwTarget::X86: return "x86";
    case HwTarget::Arm64: return "arm64";
    case HwTarget::Arm64Lse: return "arm64-lse";
  }
  return "?";
}

namespace {

SymPtr konst(int64_t v) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Const;
  s->value = Value::num(v);
  return s;
}

SymPtr read_of(int id) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Read;
  s->read = id;
  return s;
}

SymPtr is_zero(int read_id) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Binary;
  s->op = "==";
  s->a = read_of(read_id);
  s->b = konst(0);
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// RCU and SRCU: realised by the RCU machinery, not by the instructions at the call (mappings.md §3.B).
const std::map<std::string, const char*> kUnmappable = {
    {"rcu-lock", "rcu_read_lock"},       {"rcu-unlock", "rcu_read_unlock"},
    {"sync-rcu", "synchronize_rcu"},     {"srcu-lock", "srcu_read_lock"},
    {"srcu-unlock", "srcu_read_unlock"}, {"sync-srcu", "synchronize_srcu"},
    {"after-srcu-read-unlock", "smp_mb__after_srcu_read_unlock"},
};

void refuse_rcu(const Event& e) {
  for (const auto& t : e.tags) {
    auto it = kUnmappable.find(lower(t));
    if (it != kUnmappable.end()) throw Unmappable(e.pos, it->second);
  }
  if (e.sort == Sort::SRCU) throw Unmappable(e.pos, "synchronize_srcu");
}

// The kernel fences by annotation: the one full fence and the ones that compile to nothing on x86.
enum class Fence { Full, Rmb, Wmb, None };
Fence fence_kind(const Event& e) {
  if (e.tags.empty()) return Fence::None;
  std::string t = lower(e.tags[0]);
  if (t == "mb") return Fence::Full;
  if (t == "rmb") return Fence::Rmb;
  if (t == "wmb") return Fence::Wmb;
  // smp_mb__{before,after}_atomic and __after_spinlock are a full fence on arm64 (asm-generic smp_mb());
  // barrier() and smp_mb__after_unlock_lock() are compiler-only on both.
  if (t == "before-atomic" || t == "after-atomic" || t == "after-spinlock") return Fence::Full;
  if (t == "barrier" || t == "after-unlock-lock" || t == "rb_dep" || t == "rb-dep") return Fence::None;
  return Fence::None;
}

bool known_fence(const std::string& t) {
  static const char* const known[] = {"mb", "rmb", "wmb", "before-atomic", "after-atomic", "after-spinlock",
                                      "barrier", "after-unlock-lock", "rb_dep", "rb-dep"};
  return std::any_of(std::begin(known), std::end(known), [&](const char* k) { return t == k; });
}

// One path rewritten event by event; `at[i]` is where LKMM event i went (-1: compiled to nothing), so that
// po (statement order and iico), dependencies and rmw pairs follow the events.
class PathMapper {
 public:
  PathMapper(const Path& in, Program& prog, HwTarget t, const std::string& file)
      : in_(in), prog_(prog), target_(t), file_(file) {}

  Path run() {
    out_.guards = in_.guards;
    out_.regs = in_.regs;
    out_.computed = in_.computed;
    out_.loop_cut = in_.loop_cut;
    for (auto [r, w] : in_.rmw) paired_.insert(r), paired_.insert(w);
    for (size_t i = 0; i < in_.events.size(); ++i) {
      refuse_rcu(in_.events[i]);
      at_.push_back(-1);
      if (target_ == HwTarget::X86) map_x86(int(i));
      else map_arm64(int(i));
    }
    auto remap = [&](const std::vector<Edge>& es, std::vector<Edge>& to) {
      for (auto [a, b] : es)
        if (at_[size_t(a)] >= 0 && at_[size_t(b)] >= 0) to.push_back({at_[size_t(a)], at_[size_t(b)]});
    };
    remap(in_.iico, out_.iico);
    remap(in_.iico_data, out_.iico_data);
    remap(in_.iico_ctrl, out_.iico_ctrl);
    remap(in_.rmw, out_.rmw);
    remap(in_.addr, out_.addr);
    remap(in_.data, out_.data);
    remap(in_.ctrl, out_.ctrl);
    out_.iico.insert(out_.iico.end(), extra_iico_.begin(), extra_iico_.end());
    out_.rmw.insert(out_.rmw.end(), extra_rmw_.begin(), extra_rmw_.end());
    // The register-carried dependency inside SWP, CAS and an exclusive pair is not on a store's data port
    // (docs/aarch64-events.md); LD<op>/ST<op> compute their write from their read.
    std::erase_if(out_.data, [&](Edge d) { return no_data_.count(d) > 0; });
    if (!amo_.empty()) out_.rels["amo"] = amo_;
    // The LL/SC compare-and-branch (`EOR; CBNZ 2f`) orders the compare's read before every later statement.
    for (int r : ctrl_from_)
      for (int j = 0; j < int(out_.events.size()); ++j)
        if (out_.events[size_t(j)].stmt > out_.events[size_t(r)].stmt) out_.ctrl.push_back({r, j});
    return std::move(out_);
  }

 private:
  // A copy of LKMM event i with another sort and tags (its position, statement and values kept).
  int emit(int i, Sort sort, std::vector<std::string> tags) {
    Event e = in_.events[size_t(i)];
    e.sort = sort;
    e.tags = std::move(tags);
    out_.events.push_back(std::move(e));
    return int(out_.events.size()) - 1;
  }
  // A fresh read of the lock word at LKMM event i's address, which the path needs to see 0 (`zero`) or not.
  int lock_read(int i, std::vector<std::string> tags, bool zero) {
    int k = emit(i, Sort::R, std::move(tags));
    Event& e = out_.events[size_t(k)];
    e.read_id = prog_.reads++;
    e.value = read_of(e.read_id);
    e.rmw = false;
    out_.guards.push_back({is_zero(e.read_id), zero});
    return k;
  }
  int lock_write(int i, std::vector<std::string> tags, int64_t v) {
    int k = emit(i, Sort::W, std::move(tags));
    out_.events[size_t(k)].value = konst(v);
    out_.events[size_t(k)].rmw = false;
    return k;
  }
  void order(int a, int b) { extra_iico_.push_back({a, b}); }

  // x86-64 (mappings.md §1): every access a MOV, smp_mb a full fence (`lock; addl` ≡ MFENCE), the other
  // fences compile to nothing, every LOCK'd instruction (and XCHG) a locked access in X: a full fence.
  void map_x86(int i) {
    const Event& e = in_.events[size_t(i)];
    switch (e.sort) {
      case Sort::F: {
        if (!e.tags.empty() && !known_fence(lower(e.tags[0])))
          throw UserError(file_, e.pos, fmt::format("no x86 mapping for the fence annotation '{}'", e.tags[0]));
        if (fence_kind(e) == Fence::Full && lower(e.tags[0]) == "mb") at_.back() = emit(i, Sort::F, {"MFENCE"});
        return;
      }
      case Sort::R:
      case Sort::W: {
        // A failing add_unless never reaches its cmpxchg: what decided it was a plain atomic_read.
        bool locked = e.rmw && !(e.op == Op::AddUnless && !paired_.count(i));
        int k = emit(i, e.sort, locked ? std::vector<std::string>{"X"} : std::vector<std::string>{});
        out_.events[size_t(k)].rmw = locked;
        at_.back() = k;
        return;
      }
      case Sort::LKR: {
        // spin_lock: the successful LOCK CMPXCHG 0 -> 1 (herd models only the successful attempt);
        // spin_trylock reads the word first (atomic_read) and tries only when it saw 0.
        int first = e.op == Op::Trylock ? lock_read(i, {}, true) : -1;
        at_.back() = lock_read(i, {"X"}, true);
        if (first >= 0) order(first, at_.back());
        out_.events[size_t(at_.back())].rmw = true;
        lock_r_ = at_.back();
        return;
      }
      case Sort::LKW: {
        at_.back() = lock_write(i, {"X"}, 1);
        out_.events[size_t(at_.back())].rmw = true;
        if (lock_r_ >= 0) extra_rmw_.push_back({lock_r_, at_.back()});
        lock_r_ = -1;
        return;
      }
      case Sort::UL: at_.back() = lock_write(i, {}, 0); return;  // smp_store_release of 0: a MOV
      case Sort::LF: at_.back() = lock_read_keep(i, false); return;  // trylock's atomic_read saw it taken
      case Sort::RL: at_.back() = lock_read_keep(i, false); return;  // spin_is_locked: atomic_read
      case Sort::RU: at_.back() = lock_read_keep(i, true); return;
      case Sort::SRCU: return;  // refused above
    }
  }

  // arm64 (mappings.md §2): LDR/STR, LDAR/STLR, DMB ISH/ISHLD/ISHST; the RMWs as LL/SC exclusive pairs
  // (ARMv8.0) or as LSE atomics (ARMv8.1), their sets as docs/aarch64-events.md defines them.
  enum class Order { Relaxed, Acquire, Release, Full };
  Order order_of(const Event& e) const {
    std::string t = e.tags.empty() ? "once" : lower(e.tags[0]);
    if (t == "mb") return Order::Full;
    if (t == "acquire") return Order::Acquire;
    if (t == "release") return Order::Release;
    if (t == "once" || t == "noreturn") return Order::Relaxed;
    throw UserError(file_, e.pos, fmt::format("no arm64 mapping for the annotation '{}'", e.tags[0]));
  }
  bool lse() const { return target_ == HwTarget::Arm64Lse; }
  int fence(int i, const char* dmb) {
    int k = emit(i, Sort::F, {dmb});
    Event& f = out_.events[size_t(k)];
    f.rmw = false, f.read_id = -1, f.value = nullptr, f.addr = nullptr, f.op = Op::None;
    return k;
  }
  Event& out(int k) { return out_.events[size_t(k)]; }

  void map_arm64(int i) {
    const Event& e = in_.events[size_t(i)];
    switch (e.sort) {
      case Sort::F: {
        if (e.tags.empty()) return;
        std::string t = lower(e.tags[0]);
        if (!known_fence(t))
          throw UserError(file_, e.pos, fmt::format("no arm64 mapping for the fence annotation '{}'", e.tags[0]));
        if (fence_kind(e) == Fence::Full) at_.back() = fence(i, "DMB.ISH");
        else if (fence_kind(e) == Fence::Rmb) at_.back() = fence(i, "DMB.ISHLD");
        else if (fence_kind(e) == Fence::Wmb) at_.back() = fence(i, "DMB.ISHST");
        return;
      }
      case Sort::R:
      case Sort::W: {
        Order o = order_of(e);
        if (!e.rmw) {  // LDR/STR, LDAR, STLR
          std::vector<std::string> tags;
          if (e.sort == Sort::R && o == Order::Acquire) tags = {"A"};
          if (e.sort == Sort::W && o == Order::Release) tags = {"L"};
          at_.back() = emit(i, e.sort, tags);
          out(at_.back()).rmw = false;
          return;
        }
        if (e.sort == Sort::R) return map_rmw_read(i, o);
        return map_rmw_write(i, o);
      }
      case Sort::LKR: {
        // spin_lock: qspinlock's fast path, try_cmpxchg_acquire 0 -> 1 (LDAXR; EOR; CBNZ; STXR, or CASA);
        // spin_trylock first reads the word (atomic_read) and tries only when it saw 0.
        int first = e.op == Op::Trylock ? lock_read(i, {}, true) : -1;
        at_.back() = lock_read(i, {"X", "A"}, true);
        if (first >= 0) order(first, at_.back());
        out(at_.back()).rmw = true;
        lock_r_ = at_.back();
        if (!lse()) ctrl_from_.push_back(lock_r_);
        return;
      }
      case Sort::LKW: {
        at_.back() = lock_write(i, {"X"}, 1);
        out(at_.back()).rmw = true;
        if (lock_r_ >= 0) {
          extra_rmw_.push_back({lock_r_, at_.back()});
          if (lse()) amo_.push_back({lock_r_, at_.back()});
        }
        lock_r_ = -1;
        return;
      }
      case Sort::UL: at_.back() = lock_write(i, {"L"}, 0); return;  // STLRB of 0 on the locked byte
      case Sort::LF: at_.back() = lock_read_keep(i, false); return;
      case Sort::RL: at_.back() = lock_read_keep(i, false); return;
      case Sort::RU: at_.back() = lock_read_keep(i, true); return;
      case Sort::SRCU: return;
    }
  }
  // The read of an RMW: LDXR/LDAXR, or SWP/LD<op>/ST<op>/CAS's read; unpaired, a failing cmpxchg's read or
  // add_unless's deciding atomic_read.
  void map_rmw_read(int i, Order o) {
    const Event& e = in_.events[size_t(i)];
    bool paired = paired_.count(i) > 0;
    bool cas_like = e.op == Op::Cmpxchg || e.op == Op::AddUnless;
    Order eff = e.op == Op::AddUnless ? Order::Full : o;  // add_unless: a full cmpxchg loop
    std::vector<std::string> tags;
    if (!paired && e.op == Op::AddUnless) {
      at_.back() = emit(i, Sort::R, {});  // the atomic_read that saw the forbidden value
      out(at_.back()).rmw = false;
      return;
    }
    bool x = paired || !lse();  // a failing CAS is no exclusive access; a lone LDXR is
    if (x) tags.push_back("X");
    if (lse() && e.op == Op::AtomicOp) tags.push_back("NoRet");
    else if (eff == Order::Acquire || (lse() && eff == Order::Full)) tags.push_back("A");
    at_.back() = emit(i, Sort::R, tags);
    out(at_.back()).rmw = x;
    if (cas_like && !lse()) ctrl_from_.push_back(at_.back());
  }
  void map_rmw_write(int i, Order o) {
    const Event& e = in_.events[size_t(i)];
    Order eff = e.op == Op::AddUnless ? Order::Full : o;
    std::vector<std::string> tags = {"X"};
    if (eff == Order::Release || eff == Order::Full) tags.push_back("L");
    int w = emit(i, Sort::W, tags);
    out(w).rmw = true;
    at_.back() = w;
    for (auto [r, ww] : in_.rmw)
      if (ww == i && at_[size_t(r)] >= 0) {
        int rr = at_[size_t(r)];
        if (lse()) amo_.push_back({rr, w});
        bool ldop = e.op == Op::AtomicOp || e.op == Op::AtomicOpReturn || e.op == Op::FetchOp ||
                    e.op == Op::AddUnless;
        if (!lse() || !ldop || e.op == Op::AddUnless) no_data_.insert({rr, w});
      }
    // LL/SC fully ordered: `...; STLXR; CBNZ 1b; DMB ISH` (a failing cmpxchg branches past the DMB).
    if (!lse() && eff == Order::Full) {
      order(w, fence(i, "DMB.ISH"));
    }
  }
  // An LKMM read of the lock (LF, RL, RU: it has a read id already) as a plain read that sees 0 or not.
  int lock_read_keep(int i, bool zero) {
    int k = emit(i, Sort::R, {});
    out_.events[size_t(k)].rmw = false;
    out_.guards.push_back({is_zero(in_.events[size_t(i)].read_id), zero});
    return k;
  }

  const Path& in_;
  Program& prog_;
  HwTarget target_;
  const std::string& file_;
  Path out_;
  std::vector<int> at_;
  std::set<int> paired_;
  std::vector<Edge> extra_iico_, extra_rmw_, amo_;
  std::set<Edge> no_data_;
  std::vector<int> ctrl_from_;
  int lock_r_ = -1;
};

}  // namespace

Program map_to_hw(const Program& lkmm, HwTarget target, const std::string& file) {
  Program out;
  out.locations = lkmm.locations;
  out.reg_init = lkmm.reg_init;
  out.reads = lkmm.reads;
  for (const auto& paths : lkmm.threads) {
    out.threads.emplace_back();
    for (const auto& p : paths) out.threads.back().push_back(PathMapper(p, out, target, file).run());
  }
  return out;
}

}  // namespace paddock::events
