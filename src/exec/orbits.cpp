#include "exec/orbits.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

namespace paddock::exec {

using events::Value;

Orbits::Orbits(const std::vector<Automorphism>& group, const litmus::Test& test, const events::Program& prog,
               const std::vector<litmus::Location>& displayed)
    : group_(group), test_(test), prog_(prog), displayed_(displayed) {
  if (!group_.empty() && test.condition) index_atoms(*test.condition);
}

bool Orbits::enter(const std::vector<size_t>& choice, const std::vector<events::StructEvent>& ev,
                   const std::vector<int>& base, const std::vector<int>& reads) {
  stabilizer_.clear();
  std::vector<size_t> image(choice.size());
  for (size_t gi = 0; gi < group_.size(); ++gi) {
    const Automorphism& g = group_[gi];
    for (size_t t = 0; t < choice.size(); ++t) image[size_t(g.thread[t])] = choice[t];
    if (image < choice) return false;
    if (image == choice) stabilizer_.push_back(gi);
  }
  choice_ = choice, ev_ = &ev, base_ = &base, reads_ = &reads;
  size_t n = ev.size();
  std::vector<int> pos(n, -1);
  for (size_t j = 0; j < reads.size(); ++j) pos[size_t(reads[j])] = int(j);
  emap_.assign(stabilizer_.size(), std::vector<int>(n, -1));
  read_pre_.assign(stabilizer_.size(), std::vector<int>(reads.size(), -1));
  for (size_t s = 0; s < stabilizer_.size(); ++s) {
    std::vector<int>& em = emap_[s];
    for (size_t e = 0; e < n; ++e) em[e] = map_event(group_[stabilizer_[s]], e);
    for (size_t e = 0; e < n; ++e)
      if (pos[e] >= 0) read_pre_[s][size_t(pos[size_t(em[e])])] = pos[e];
  }
  return true;
}

int Orbits::map_event(const Automorphism& g, size_t e) const {
  const events::StructEvent& x = (*ev_)[e];
  if (!x.ev) return g.loc[size_t(x.init_loc)];  // init writes sit at their location's index
  const std::vector<int>& base = *base_;
  return base[size_t(g.thread[size_t(x.thread)])] + int(e) - base[size_t(x.thread)];
}

bool Orbits::canonical(size_t k, const std::vector<int>& rf) const {
  const std::vector<int>& reads = *reads_;
  for (size_t s = 0; s < stabilizer_.size(); ++s)
    for (size_t j = 0; j < k; ++j) {
      int p = read_pre_[s][j];
      if (p < 0 || size_t(p) >= k) break;  // the image's j-th read is not chosen yet
      int a = rf[size_t(reads[j])], b = emap_[s][size_t(rf[size_t(reads[size_t(p)])])];
      if (b < a) return false;
      if (b > a) break;
    }
  return true;
}

void Orbits::images_of(const std::vector<int>& rf) {
  images_.clear();
  const std::vector<events::StructEvent>& ev = *ev_;
  const std::vector<int>& base = *base_;
  // A candidate named apart from event numbers: each thread's path, and each read's write, events as (thread,
  // index) and init writes by location, mapped by g.
  auto key = [&](const Automorphism* g) {
    auto coord = [&](int e) -> int64_t {
      const events::StructEvent& x = ev[size_t(e)];
      if (!x.ev) return -1 - int64_t(g ? g->loc[size_t(x.init_loc)] : x.init_loc);
      int t = g ? g->thread[size_t(x.thread)] : x.thread;
      return (int64_t(t) << 32) + (e - base[size_t(x.thread)]);
    };
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (int r : *reads_) pairs.emplace_back(coord(r), coord(rf[size_t(r)]));
    std::sort(pairs.begin(), pairs.end());
    std::vector<int64_t> out(choice_.size());
    for (size_t t = 0; t < choice_.size(); ++t) out[size_t(g ? g->thread[t] : int(t))] = int64_t(choice_[t]);
    for (auto& [a, b] : pairs) out.push_back(a), out.push_back(b);
    return out;
  };
  std::set<std::vector<int64_t>> seen{key(nullptr)};
  for (size_t gi = 0; gi < group_.size(); ++gi)
    if (seen.insert(key(&group_[gi])).second) images_.push_back(gi);
}

const std::vector<std::pair<State, bool>>& Orbits::image_states(const State& st) {
  image_states_.clear();
  for (size_t gi : images_) {
    const Automorphism& g = group_[gi];
    State m(st.size());
    for (size_t i = 0; i < st.size(); ++i) m[size_t(g.shown[i])] = g.map(st[i]);
    bool pos = test_.condition ? holds_on(*test_.condition, m) : true;
    image_states_.emplace_back(std::move(m), pos);
  }
  return image_states_;
}

void Orbits::index_atoms(const litmus::Prop& p) {
  if (p.left) index_atoms(*p.left);
  if (p.right) index_atoms(*p.right);
  if (p.kind != litmus::Prop::Kind::Atom) return;
  auto at = [&](const litmus::Location& l) {
    return int(std::find(displayed_.begin(), displayed_.end(), l) - displayed_.begin());
  };
  atom_at_[&p] = {at(p.loc), p.value.reg ? at(*p.value.reg) : -1};
}

bool Orbits::holds_on(const litmus::Prop& p, const State& st) const {
  using K = litmus::Prop::Kind;
  switch (p.kind) {
    case K::True: return true;
    case K::False: return false;
    case K::Not: return !holds_on(*p.left, st);
    case K::And: return holds_on(*p.left, st) && holds_on(*p.right, st);
    case K::Or: return holds_on(*p.left, st) || holds_on(*p.right, st);
    case K::Implies: return !holds_on(*p.left, st) || holds_on(*p.right, st);
    case K::Atom: {
      auto [at, reg] = atom_at_.at(&p);
      const Value& v = st[size_t(at)];
      if (reg >= 0) return (v == st[size_t(reg)]) != p.negated_eq;
      // As the engine's holds(): an integer compared at its location's declared type.
      int64_t want = prog_.default_type.empty()
                         ? p.value.value
                         : events::at_type(Value::num(p.value.value), prog_.type_of(p.loc.thread, p.loc.name)).i;
      bool eq = p.value.is_addr ? v.kind == Value::Kind::Addr && v.i == prog_.location_index(p.value.addr)
                                : v.kind == Value::Kind::Int && v.i == want;
      return eq != p.negated_eq;
    }
  }
  return false;
}

}  // namespace paddock::exec
