#include "exec/engine.hpp"
#include "exec/orbits.hpp"

#include "events/equations.hpp"
#include "events/structure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <map>
#include <optional>
#include <thread>

namespace paddock::exec {

using events::Event;
using events::Path;
using events::Program;
using events::Sort;
using events::Value;

bool value_less(const Value& a, const Value& b) {
  auto rank = [](const Value& v) { return v.kind == Value::Kind::Unknown ? 0 : v.kind == Value::Kind::Int ? 1 : 2; };
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  return a.i < b.i;  // addresses: locations are sorted by name
}

bool StateLess::operator()(const State& a, const State& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), value_less);
}

namespace {

void collect(const litmus::PropPtr& p, std::vector<litmus::Location>& out) { litmus::prop_locations(p, out); }

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

using GEvent = events::StructEvent;

class Enumerator {
 public:
  Enumerator(const litmus::Test& t, const Program& p, const cat::Model& m, const Options& o, Result& r,
             const std::vector<Automorphism>& group, size_t shard = 0, size_t shards = 1)
      : test_(t), prog_(p), model_(m), opts_(o), res_(r), start_(cpu_seconds()), orbits_(group, t, p, r.displayed),
        shard_(shard), shards_(shards) {
    std::vector<litmus::Location> fl;
    collect(t.filter, fl);
    for (const auto* ls : {&r.displayed, &fl})
      for (const auto& l : *ls)
        if (l.thread < 0) observe(l.name);
    std::sort(observed_.begin(), observed_.end());
    observed_.erase(std::unique(observed_.begin(), observed_.end()), observed_.end());
  }

  // A global the report shows or the filter reads: its location, or in mixed-size mode every byte of its view.
  void observe(const std::string& name) {
    if (!prog_.mixed) return observed_.push_back(prog_.location_index(name));
    auto it = prog_.mixed->views.find(name);
    if (it == prog_.mixed->views.end()) throw UserError(test_.file, {}, fmt::format("unknown location {}", name));
    for (int k = 0; k < it->second.bytes; ++k) observed_.push_back(it->second.first + k);
  }

  // Index of the first subtree (in serial order) where a cut path was met, for merging shards (run()).
  uint64_t loop_task() const { return loop_task_; }

  void all_structures() {
    std::vector<size_t> choice(prog_.threads.size(), 0);
    for (const auto& paths : prog_.threads)
      if (paths.empty()) return;
    while (true) {
      structure(choice);
      size_t t = 0;
      for (; t < choice.size(); ++t) {
        if (++choice[t] < prog_.threads[t].size()) break;
        choice[t] = 0;
      }
      if (t == choice.size()) break;
    }
  }

 private:
  // ------------------------------------------------------------ one event structure
  void structure(const std::vector<size_t>& choice) {
    paths_.clear();
    cut_ = false;
    for (size_t t = 0; t < choice.size(); ++t) {
      paths_.push_back(&prog_.threads[t][choice[t]]);
      cut_ = cut_ || paths_.back()->loop_cut;
    }
    if (cut_ && res_.loop && !opts_.count_cut) return;  // nothing more to learn from another cut structure
    events::Structure st = events::make_structure(prog_, paths_);
    base_of_thread_ = st.base;
    ev_ = std::move(st.events);
    loc_members_.clear();
    cand_ = cat::Candidate{};
    cand_.n = ev_.size();
    cand_.structure = cat::Candidate::new_structure();
    cand_.search = search_;
    cand_.sets = std::move(st.sets);
    cand_.rels = std::move(st.rels);
    reads_.clear();
    writes_.clear();
    for (size_t g = 0; g < ev_.size(); ++g) {
      if (ev_[g].ev == nullptr || ev_[g].ev->sort == Sort::W) writes_.push_back(int(g));
      if (ev_[g].ev && ev_[g].ev->sort == Sort::R) reads_.push_back(int(g));
    }
    rf_.assign(ev_.size(), -1);
    vals_.assign(size_t(prog_.reads), Value::unknown());
    write_choices_.resize(reads_.size() + 1);
    // Small searches are not worth a refutation's analysis of the model (its classification runs on every try).
    early_here_ = early_allowed_ && rf_space() >= 4096;
    if (early_here_) order_reads();
    if (orbits_.active() && !orbits_.enter(choice, ev_, base_of_thread_, reads_)) return;
    // Final writes are chosen before rf when that lets refuted_so_far see them: when every write's location is
    // known from the program alone, and there are read-modify-writes, whose atomicity is what an rf prefix most
    // often breaks (else the evaluator's reuse between candidates that differ only in FW is worth more). Only the
    // order of the (rf, final writes) pairs changes, which no report shows (observers turn refuted_so_far off).
    auto rmw = cand_.rels.find("rmw");
    fw_first_ = early_here_ && !observed_.empty() && rmw != cand_.rels.end() && !rmw->second.empty() &&
                static_write_locations();
    if (fw_first_) {
      fw_.assign(observed_.size(), -1);
      return choose_fw_first(0);
    }
    choose_rf(0);
  }

  // How many rf choices this structure has at most: the product over its reads of the writes they may read (all
  // of them for a read whose location the program alone does not fix), capped.
  double rf_space() {
    std::map<int, int> writes_at;
    for (int w : writes_)
      if (Value a = address(w); a.kind == Value::Kind::Addr) ++writes_at[int(a.i)];
    double space = 1;
    for (int r : reads_) {
      Value a = address(r);
      space *= a.kind == Value::Kind::Addr ? std::max(1, writes_at[int(a.i)]) : double(writes_.size());
      if (space > 1e9) break;
    }
    return space;
  }

  // The reads whose choices the model refutes soonest first, for refuted_so_far: the reads of read-modify-writes
  // (atomicity ties them to one another), then by how many writes their location has, as far as the program
  // alone says. Only the order of the candidates changes, which no report shows.
  void order_reads() {
    std::map<int, int> writes_at;
    std::vector<int> loc(ev_.size(), -1);
    for (size_t g = 0; g < ev_.size(); ++g) {
      if (ev_[g].ev && ev_[g].ev->sort == Sort::F) continue;
      Value a = address(int(g));
      if (a.kind == Value::Kind::Addr) loc[g] = int(a.i);
    }
    for (int w : writes_)
      if (loc[size_t(w)] >= 0) ++writes_at[loc[size_t(w)]];
    auto it = cand_.rels.find("rmw");
    auto key = [&](int r) {
      bool rmw = it != cand_.rels.end() && !it->second.row(size_t(r)).empty();
      int writes = loc[size_t(r)] >= 0 ? writes_at[loc[size_t(r)]] : 0;
      return std::make_pair(rmw ? 0 : 1, -writes);
    };
    std::stable_sort(reads_.begin(), reads_.end(), [&](int a, int b) { return key(a) < key(b); });
  }

  bool static_write_locations() {
    write_locs_.assign(ev_.size(), -1);
    for (int w : writes_) {
      Value a = address(w);
      if (a.kind != Value::Kind::Addr) return false;
      write_locs_[size_t(w)] = int(a.i);
    }
    return true;
  }

  void choose_fw_first(size_t k) {
    if (k == observed_.size()) return choose_rf(0);
    for (int w : writes_)
      if (write_locs_[size_t(w)] == observed_[k]) {
        fw_[k] = w;
        choose_fw_first(k + 1);
      }
  }

  // ------------------------------------------------------------ rf and values
  Value eval_or_unknown(const events::Sym& s) {
    try {
      return events::eval(s, vals_);
    } catch (const events::IllegalOperation& e) {
      std::string v = events::to_string(e.v, prog_);
      if (v.size() > 3 && v.compare(v.size() - 3, 3, "[0]") == 0) v.resize(v.size() - 3);  // an array's address
      throw UserError(test_.file, {}, fmt::format("Illegal operation {} on {}", e.op, v));
    } catch (const std::domain_error&) {
      throw UserError(test_.file, {}, "division by zero while computing a value");
    }
  }

  Value write_value(int w) {
    const GEvent& g = ev_[size_t(w)];
    return g.ev ? eval_or_unknown(*g.ev->value) : prog_.locations[size_t(g.init_loc)].init;
  }
  Value address(int g) {
    const GEvent& e = ev_[size_t(g)];
    return e.ev ? eval_or_unknown(*e.ev->addr) : Value::addr(e.init_loc);
  }

  // Values of the assigned reads, by fixpoint (cycles through rf stay unknown: thin air).
  void solve_values(size_t assigned) {
    std::fill(vals_.begin(), vals_.end(), Value::unknown());
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t k = 0; k < assigned; ++k) {
        int r = reads_[k];
        // A read through a non-symbolic address (choose_rf) reads no write: 0, as from an initial write.
        Value v = rf_[size_t(r)] < 0 ? Value::num(0) : write_value(rf_[size_t(r)]);
        Value& slot = vals_[size_t(ev_[size_t(r)].ev->read_id)];
        if (!(v == slot)) slot = v, changed = true;
      }
    }
  }

  void tick() {
    if (opts_.timeout_seconds > 0 && ++ticks_ % 16 == 0 && cpu_seconds() - start_ > opts_.timeout_seconds)
      throw Timeout(fmt::format("{}: timeout after {:g} s (CPU)", test_.name, opts_.timeout_seconds));
  }

  // False when a path condition that the reads chosen so far already decide is false: values only become
  // known as reads get their writes, and a known value never changes, so no completion can satisfy it.
  bool guards_possible() {
    for (const Path* p : paths_)
      for (const auto& gd : p->guards) {
        Value c;
        try {
          c = events::eval(*gd.cond, vals_);
        } catch (const std::domain_error&) {
          continue;  // reported (or not) on complete candidates, as before
        }
        if (c.kind == Value::Kind::Unknown) continue;
        if ((c.kind == Value::Kind::Addr || c.kind == Value::Kind::Code || c.i != 0) != gd.truth) return false;
      }
    return true;
  }

  void choose_rf(size_t k) {
    tick();
    // Shards take every shards_-th subtree at a fixed depth, in the serial order of the rf choices.
    if (shards_ > 1 && k == std::min(reads_.size(), kSplitDepth) && task_++ % shards_ != shard_) return;
    if (k > 0 && orbits_.active() && !orbits_.canonical(k, rf_)) return;
    if (k == reads_.size()) return candidate();
    int r = reads_[k];
    solve_values(k);
    if (k > 0 && !guards_possible()) return;
    if (k > 0 && prune_filter_ && !cut_ && decided(*test_.filter) == Tri::False) return;
    if (k > 0 && refuted_so_far(k)) return;
    Value ra = address(r);
    if (prog_.asm_addresses && (ra.kind == Value::Kind::Int || ra.kind == Value::Kind::Code)) {
      rf_[size_t(r)] = -1;  // reads no write: refused in candidate() if the rest makes an execution
      choose_rf(k + 1);
      return;
    }
    // The writes this read may take, from what the reads chosen so far decide: computed before descending, since
    // the choices below leave later reads' values in vals_.
    std::vector<int>& cands = write_choices_[k];
    cands.clear();
    for (int w : writes_) {
      if (ra.kind == Value::Kind::Addr) {
        Value wa = address(w);
        if (wa.kind != Value::Kind::Unknown && !(wa == ra)) continue;
      }
      cands.push_back(w);
    }
    for (int w : cands) {
      rf_[size_t(r)] = w;
      choose_rf(k + 1);
    }
    rf_[size_t(r)] = -1;
  }

  // Whether the reads chosen so far already make every completion inconsistent (cat::refuted_early): the
  // structure's sets and relations are those of every completion, its rf only grows, and loc is known once every
  // access's address is. Not where the model must see every candidate (observers, -candidates, -skipchecks), nor
  // on cut paths (herd's Loop needs no model). Tried at every node while it pays: it stops once the candidates
  // its cuts spared (estimated) fall below half the tries. With shards (-j) the nodes above the split depth, which every shard visits alike and must
  // cut alike (the subtrees at the split are numbered in serial order), keep their own tally.
  bool refuted_so_far(size_t k) {
    bool above_split = shards_ > 1 && k <= std::min(reads_.size(), kSplitDepth);
    Tally& t = above_split ? early_above_ : early_;
    if (!early_here_ || cut_ || !t.on) return false;
    // Not before the model has run on enough candidates to make the analysis worth it (a try analyses the model
    // afresh); above the split, where the shards must agree, the structure's rf space decided it already.
    if (!above_split && res_.model_runs < kEarlyAfter) return false;
    locs_.assign(ev_.size(), -1);
    for (size_t g = 0; g < ev_.size(); ++g) {
      const GEvent& e = ev_[g];
      if (e.ev && e.ev->sort == Sort::F) continue;
      Value a = address(int(g));
      if (a.kind != Value::Kind::Addr) return false;
      locs_[g] = int(a.i);
    }
    dynamic_part();
    EventSet fw(ev_.size());  // every completion's, when no location is observed or the final writes come first
    if (fw_first_)
      for (int w : fw_) fw.set(size_t(w));
    cand_.sets["FW"] = std::move(fw);
    bool refuted = cat::refuted_early(model_, cand_, observed_.empty() || fw_first_);
    // A cut saves its subtree, about 2^(reads left) candidates; a try costs about one candidate's evaluation.
    ++t.tries;
    ++res_.early_tries;
    res_.early_cuts += refuted;
    if (refuted) t.saved += double(uint64_t(1) << std::min<size_t>(reads_.size() - k, 40));
    if (t.tries >= 256 && t.saved * 2 < double(t.tries)) t.on = false;
    return refuted;
  }

  // A complete rf: check values, guards and addresses, then pick final writes.
  void candidate() {
    solve_values(reads_.size());
    locs_.assign(ev_.size(), -1);
    int bad = -1;  // an access through a non-symbolic address (assembly)
    Value bad_addr;
    for (size_t g = 0; g < ev_.size(); ++g) {
      const GEvent& e = ev_[g];
      if (e.ev && (e.ev->sort == Sort::F)) continue;
      Value a = address(int(g));
      if (prog_.mixed && a.kind == Value::Kind::Unknown && past_location(*e.ev->addr) && reads_known())
        throw UserError(test_.file, e.ev->pos, "mixed-size mode: an access through an address past its location");
      if (a.kind != Value::Kind::Addr) {
        // NULL or undetermined address: no such execution. Assembly refuses one (below) on a candidate that
        // is otherwise one: its other reads read writes at their locations, its path conditions hold.
        if (!prog_.asm_addresses || a.kind == Value::Kind::Unknown) return;
        if (bad < 0) bad = int(g), bad_addr = a;
        continue;
      }
      locs_[g] = int(a.i);
    }
    for (int r : reads_)
      if (locs_[size_t(r)] >= 0 && locs_[size_t(r)] != locs_[size_t(rf_[size_t(r)])]) return;
    // herd refuses a test with a non-symbolic access in an execution its model allows (evaluate()); one the
    // model rejects (L105's read of a NULL initial pointer, ruled out by coherence) goes unnoticed.
    if (bad >= 0 && !guards_hold()) return;
    bad_ = bad, bad_addr_ = bad_addr;
    struct Reset {
      int& b;
      ~Reset() { b = -1; }
    } reset{bad_};
    if (prog_.mixed) check_accesses();
    if (!guards_hold()) return;
    for (const Path* p : paths_)
      for (const auto& c : p->checked) eval_or_unknown(*c);
    if (cut_) {
      if (!res_.loop) {
        loop_task_ = task_;
        for (const Path* p : paths_)
          if (p->loop_cut) {
            res_.loop_at = p->cut_at;
            break;
          }
      }
      res_.loop = true;
      if (!opts_.count_cut) return;
    }
    if (!opts_.oota && herd_drops_unsolved()) return;
    if (orbits_.active()) orbits_.images_of(rf_);
    dynamic_part();
    if (fw_first_) return evaluate();
    fw_.assign(observed_.size(), -1);
    choose_fw(0);
  }

  // Whether every path condition holds on the values of this candidate.
  bool guards_hold() {
    for (const Path* p : paths_)
      for (const auto& gd : p->guards) {
        Value c = eval_or_unknown(*gd.cond);
        if (c.kind == Value::Kind::Unknown) return false;
        if ((c.kind == Value::Kind::Addr || c.kind == Value::Kind::Code || c.i != 0) != gd.truth) return false;
      }
    return true;
  }

  [[noreturn]] void refuse_address(const GEvent& e, const Value& a) {
    if (a.kind == Value::Kind::Code)
      throw UserError(test_.file, e.ev->pos, fmt::format("an access to code ({}) through an address computed at run "
                                                         "time is not supported", events::code_value_text(a.i)));
    throw UserError(test_.file, e.ev->pos, fmt::format("non-symbolic memory access [{}]", a.i));
  }

  bool reads_known() const {
    for (int r : reads_)
      if (vals_[size_t(ev_[size_t(r)].ev->read_id)].kind == Value::Kind::Unknown) return false;
    return true;
  }

  // Whether an address is computed from one past its location (lower_aarch64's "+oob").
  static bool past_location(const events::Sym& s) {
    if (s.kind == events::Sym::Kind::Binary && s.op == "+oob") return true;
    for (const auto* c : {s.a.get(), s.b.get(), s.c.get()})
      if (c && past_location(*c)) return true;
    return false;
  }

  // Mixed-size mode: every byte of an access lies in the location its first byte is in (an address computed
  // at run time may not), byte k at the k-th location after it.
  void check_accesses() {
    for (size_t t = 0; t < paths_.size(); ++t) {
      size_t b0 = size_t(base_of_thread_[t]);
      const auto& evs = paths_[t]->events;
      const auto& m = *prog_.mixed;
      for (size_t i = 0; i < evs.size(); ++i) {
        if (evs[i].access < 0 || locs_[b0 + i] < 0) continue;  // not an access, or a non-symbolic one
        if (evs[i].byte == 0) {
          // herd's single-copy atomicity of a misaligned access is not modelled here: refused, not guessed.
          size_t n = 1;
          while (i + n < evs.size() && evs[i + n].access == int(i)) ++n;
          int at = locs_[b0 + i] - m.base[size_t(locs_[b0 + i])];
          if (n > 1 && at % int(n) != 0)
            throw UserError(test_.file, evs[i].pos, fmt::format("mixed-size mode: a misaligned {}-byte access at {}{:+} is "
                                                               "not supported", n, prog_.locations[size_t(m.base[size_t(locs_[b0 + i])])].name, at));
          continue;
        }
        int first = locs_[b0 + size_t(evs[i].access)], here = locs_[b0 + i];
        if (first < 0) continue;
        if (here != first + evs[i].byte || m.base[size_t(here)] != m.base[size_t(first)])
          throw UserError(test_.file, evs[i].pos, fmt::format("mixed-size mode: an access starting at {} goes past the end "
                                                             "of that location", prog_.locations[size_t(first)].name));
      }
    }
  }

  // herd drops, before the model, a candidate whose value equations its solver leaves unsolved (a thin-air
  // cycle through an operation it cannot compute). Only a candidate with a read of unknown value can have one.
  bool herd_drops_unsolved() {
    bool thin_air = false;
    for (int r : reads_) thin_air = thin_air || vals_[size_t(ev_[size_t(r)].ev->read_id)].kind == Value::Kind::Unknown;
    if (!thin_air) return false;
    std::vector<events::ReadSource> rf;
    for (int r : reads_) {
      if (rf_[size_t(r)] < 0) {
        rf.push_back({ev_[size_t(r)].ev->read_id, nullptr, Value::num(0)});
        continue;
      }
      const GEvent& w = ev_[size_t(rf_[size_t(r)])];
      rf.push_back({ev_[size_t(r)].ev->read_id, w.ev ? w.ev->value.get() : nullptr,
                    w.ev ? Value::unknown() : prog_.locations[size_t(w.init_loc)].init});
    }
    return events::leaves_equations(paths_, rf);
  }

  void dynamic_part() {
    size_t n = ev_.size();
    Relation rf(n), loc(n);
    for (int r : reads_)
      if (rf_[size_t(r)] >= 0) rf.set(size_t(rf_[size_t(r)]), size_t(r));
    // loc: each event's row is the set of events at its location (one pass per event, not per pair).
    std::vector<EventSet>& at = loc_members_;
    for (EventSet& e : at) std::fill(e.words().begin(), e.words().end(), 0);
    for (size_t a = 0; a < n; ++a)
      if (locs_[a] >= 0) {
        if (size_t(locs_[a]) >= at.size()) at.resize(size_t(locs_[a]) + 1, EventSet(n));
        at[size_t(locs_[a])].set(a);
      }
    for (size_t a = 0; a < n; ++a)
      if (locs_[a] >= 0) loc.set_row(a, at[size_t(locs_[a])]);
    cand_.rels["rf"] = rf;
    cand_.rels["loc"] = loc;
    cand_.values.assign(n, 0);
    if (opts_.observer) vals_by_event_.assign(n, Value::num(0));
    for (size_t g = 0; g < n; ++g) {
      const GEvent& e = ev_[g];
      Value v;
      if (!e.ev || e.ev->sort == Sort::W) v = write_value(int(g));
      else if (e.ev->sort == Sort::R) v = vals_[size_t(e.ev->read_id)];
      else continue;
      if (opts_.observer) vals_by_event_[g] = v;
      cand_.values[g] = v.kind == Value::Kind::Int    ? v.i
                        : v.kind == Value::Kind::Addr ? (int64_t(1) << 40) + v.i
                        : v.kind == Value::Kind::Code ? (int64_t(1) << 41) + v.i
                                                      : -(int64_t(1) << 40);
    }
  }

  void choose_fw(size_t k) {
    if (k == observed_.size()) return evaluate();
    for (int w : writes_)
      if (locs_[size_t(w)] == observed_[k]) {
        fw_[k] = w;
        choose_fw(k + 1);
      }
  }

  // A final value as herd shows and compares it: at the location's declared type (assembly tests).
  Value lookup(const litmus::Location& l) {
    if (!l.fault.empty()) {
      for (const auto& [label, kind] : paths_[size_t(l.thread)]->faults)
        if (label == l.name && (l.fault == "*" || kind == l.fault)) return Value::num(1);
      return Value::num(0);
    }
    Value v = raw_lookup(l);
    return prog_.default_type.empty() ? v : events::at_type(v, prog_.type_of(l.thread, l.name));
  }

  Value raw_lookup(const litmus::Location& l) {
    if (l.thread >= 0) {
      if (size_t(l.thread) >= paths_.size()) return Value::num(0);
      const auto& regs = paths_[size_t(l.thread)]->regs;
      auto it = regs.find(l.name);
      if (it == regs.end()) {
        auto ri = prog_.reg_init.find({l.thread, l.name});
        return ri == prog_.reg_init.end() ? Value::num(0) : ri->second;
      }
      return eval_or_unknown(*it->second);
    }
    if (prog_.mixed) return mixed_lookup(l.name);
    int loc = prog_.location_index(l.name);
    for (size_t k = 0; k < observed_.size(); ++k)
      if (observed_[k] == loc) {
        Value v = write_value(fw_[k]);
        const events::Location& pl = prog_.locations[size_t(loc)];
        if (pl.show_as_int && v.kind == Value::Kind::Int) {
          v.i = int32_t(uint32_t(uint64_t(v.i)));
          // Narrower declared types are shown at their width, signed or not (int8_t 0xff is -1, uint8_t 255).
          if (!pl.type.empty() && litmus::type_bits(pl.type) > 0 && litmus::type_bits(pl.type) < 32) v = events::at_type(v, pl.type);
        }
        return v;
      }
    return Value::unknown();
  }

  // Mixed-size mode: a global's value recomposed from the final writes of its bytes (little-endian).
  Value mixed_lookup(const std::string& name) {
    const events::ByteView& v = prog_.mixed->views.at(name);
    uint64_t out = 0;
    for (int k = 0; k < v.bytes; ++k) {
      auto at = std::find(observed_.begin(), observed_.end(), v.first + k);
      Value b = write_value(fw_[size_t(at - observed_.begin())]);
      if (b.kind != Value::Kind::Int) return Value::unknown();
      out |= (uint64_t(b.i) & 0xff) << (8 * k);
    }
    return Value::num(int64_t(out));
  }

  // The value an atom compares with, at its location's type (`0:X0=0xffffffff` holds for an int -1).
  int64_t expected(const litmus::Prop& p) const {
    if (prog_.default_type.empty()) return p.value.value;
    return events::at_type(Value::num(p.value.value), prog_.type_of(p.loc.thread, p.loc.name)).i;
  }

  // The filter under the reads chosen so far: a register whose value they decide is final, every other atom
  // (memory, undecided registers) is open. An execution the filter rejects is not counted anywhere, so a
  // candidate it already rejects need not be completed.
  enum class Tri { False, True, Open };
  Tri decided(const litmus::Prop& p) {
    using K = litmus::Prop::Kind;
    auto neg = [](Tri t) { return t == Tri::Open ? t : t == Tri::True ? Tri::False : Tri::True; };
    switch (p.kind) {
      case K::True: return Tri::True;
      case K::False: return Tri::False;
      case K::Not: return neg(decided(*p.left));
      case K::And:
      case K::Or:
      case K::Implies: {
        Tri a = decided(*p.left);
        if (p.kind == K::Implies) a = neg(a);
        Tri stop = p.kind == K::And ? Tri::False : Tri::True;
        if (a == stop) return a;
        Tri b = decided(*p.right);
        if (b == stop) return b;
        return a == Tri::Open || b == Tri::Open ? Tri::Open : a;
      }
      case K::Atom: {
        auto known = [&](const litmus::Location& l) {
          return l.thread >= 0 && raw_lookup(l).kind != Value::Kind::Unknown;
        };
        if (!known(p.loc) || (p.value.reg && !known(*p.value.reg))) return Tri::Open;
        return holds(p) ? Tri::True : Tri::False;
      }
    }
    return Tri::Open;
  }

  bool holds(const litmus::Prop& p) {
    using K = litmus::Prop::Kind;
    switch (p.kind) {
      case K::True: return true;
      case K::False: return false;
      case K::Not: return !holds(*p.left);
      case K::And: return holds(*p.left) && holds(*p.right);
      case K::Or: return holds(*p.left) || holds(*p.right);
      case K::Implies: return !holds(*p.left) || holds(*p.right);
      case K::Atom: {
        Value v = lookup(p.loc);
        if (p.value.reg) return (v == lookup(*p.value.reg)) != p.negated_eq;
        bool eq = !p.value.code.empty() ? v.kind == Value::Kind::Code && events::code_value_text(v.i) == p.value.code
                  : p.value.is_addr     ? v.kind == Value::Kind::Addr && v.i == prog_.location_index(p.value.addr)
                                        : v.kind == Value::Kind::Int && v.i == expected(p);
        return eq != p.negated_eq;
      }
    }
    return false;
  }

  void evaluate() {
    tick();
    if (opts_.candidates) opts_.candidates->fetch_add(1, std::memory_order_relaxed);
    if (test_.filter && !holds(*test_.filter)) return;
    State st;
    for (const auto& l : res_.displayed) st.push_back(lookup(l));
    bool positive = test_.condition ? holds(*test_.condition) : true;
    static const std::vector<std::pair<State, bool>> none;
    const auto& images = orbits_.active() ? orbits_.image_states(st) : none;
    EventSet fw(ev_.size());
    for (int w : fw_) fw.set(size_t(w));
    cand_.sets["FW"] = fw;
    ++res_.model_runs;
    uint64_t allowed = 0;  // executions counted, each with this candidate's state
    cat::evaluate(model_, cand_, [&](const cat::Outcome& o) {
      if (o.discarded) return;
      if (cut_) {  // herd: a cut execution the model rejects is a candidate; one it accepts is only `Loop`
        if (!o.allowed) ++res_.candidates;
        return;
      }
      ++res_.judged;
      if (opts_.observer) opts_.observer(Execution{ev_, locs_, vals_by_event_, cand_, o, st, positive});
      if (!o.allowed) {
        ++res_.candidates;
        return;
      }
      if (bad_ >= 0) refuse_address(ev_[size_t(bad_)], bad_addr_);
      if (opts_.throughflag && std::find(o.flags.begin(), o.flags.end(), *opts_.throughflag) == o.flags.end()) return;
      ++res_.candidates;
      ++res_.consistent;
      (positive ? res_.positive : res_.negative)++;
      for (const auto& f : o.flags) res_.flags.insert(f);
      ++allowed;
    }, eval_opts_);
    if (allowed == 0) return;
    res_.states.insert(st);
    // The images of these executions under the symmetries (orbits.hpp): the same flags, their states mapped.
    for (const auto& [m, pos] : images) {
      res_.candidates += allowed;
      res_.consistent += allowed;
      res_.states.insert(m);
      (pos ? res_.positive : res_.negative) += allowed;
    }
  }

  static constexpr size_t kSplitDepth = 10;
  static constexpr uint64_t kEarlyAfter = 1000;  // model runs before refuted_so_far starts below the split
  const litmus::Test& test_;
  const Program& prog_;
  const cat::Model& model_;
  const Options& opts_;
  Result& res_;
  double start_;
  uint64_t ticks_ = 0;
  std::vector<int> observed_;

  std::vector<const Path*> paths_;
  bool cut_ = false;
  std::vector<GEvent> ev_;
  std::vector<int> reads_, writes_, rf_, locs_, fw_;
  std::vector<EventSet> loc_members_;  // dynamic_part's scratch: the events at each location
  int bad_ = -1;  // this candidate's access through a non-symbolic address (assembly), refused if allowed
  Value bad_addr_;
  std::vector<int> base_of_thread_;  // index of each thread's first event
  std::vector<std::vector<int>> write_choices_;  // per rf depth (choose_rf)
  std::vector<Value> vals_;
  std::vector<Value> vals_by_event_;  // only for the observer
  // Forbidden coherence orders may be skipped unless an observer or herd's -candidates count wants to see every
  // execution.
  cat::EvalOptions eval_opts_{opts_.checks, !opts_.observer && !opts_.no_prune && !opts_.count_cut};
  // Every execution the filter rejects may be skipped unless something counts candidates (herd's -candidates).
  bool prune_filter_ = test_.filter && !opts_.count_cut && !opts_.no_prune;
  // refuted_so_far: allowed at all, still paying, and its tallies.
  bool early_allowed_ = eval_opts_.prune && opts_.checks.empty() && !opts_.throughflag && !prog_.mixed;
  struct Tally {
    bool on = true;
    uint64_t tries = 0;
    double saved = 0;  // candidates the cuts spared, estimated
  };
  Tally early_, early_above_;
  bool early_here_ = false;       // refuted_so_far in this structure
  bool fw_first_ = false;         // this structure's final writes are chosen before its rf
  std::vector<int> write_locs_;   // then: each write's location
  cat::Candidate cand_;
  Orbits orbits_;
  uint64_t search_ = cat::Candidate::new_structure();  // Candidate::search
  size_t shard_ = 0, shards_ = 1;
  uint64_t task_ = 0, loop_task_ = 0;
};

// Folds a shard's result into the total; the serial run's first cut path is the one met in the earliest subtree.
void merge(Result& into, Result&& r, uint64_t& into_loop_task, uint64_t loop_task) {
  into.states.merge(r.states);
  into.positive += r.positive;
  into.negative += r.negative;
  into.flags.merge(r.flags);
  if (r.loop && (!into.loop || loop_task < into_loop_task)) {
    into.loop_at = r.loop_at;
    into_loop_task = loop_task;
  }
  into.loop = into.loop || r.loop;
  into.candidates += r.candidates;
  into.model_runs += r.model_runs;
  into.judged += r.judged;
  into.consistent += r.consistent;
  into.early_tries += r.early_tries;
  into.early_cuts += r.early_cuts;
}

}  // namespace

std::vector<litmus::Location> displayed_locations(const litmus::Test& test) {
  std::vector<litmus::Location> out;
  // An array named in locations [...] is shown whole, `x={1,2}`: one displayed location per cell.
  for (const auto& l : test.locations) {
    const litmus::InitEntry* array = nullptr;
    if (l.thread < 0)
      for (const auto& e : test.init)
        if (e.thread < 0 && e.array_size && e.name == l.name) array = &e;
    if (!array) {
      out.push_back(l);
      continue;
    }
    for (int k = 0; k < *array->array_size; ++k) {
      litmus::Location c = l;
      c.name = fmt::format("{}[{}]", l.name, k);
      c.whole = true;
      out.push_back(c);
    }
  }
  collect(test.condition, out);
  std::sort(out.begin(), out.end(), litmus::display_less);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result run(const litmus::Test& test, const Program& program, const cat::Model& model, const Options& opts) {
  Result r;
  r.displayed = displayed_locations(test);
  for (const auto& l : r.displayed) r.displayed_types.push_back(program.type_of(l.thread, l.name));
  double t0 = cpu_seconds();
  size_t threads = opts.observer ? 1 : size_t(std::max(1, opts.threads));
  // Symmetries only where every execution is merely counted (not seen, not counted as a candidate).
  std::vector<Automorphism> group;
  if (opts.symmetry && !opts.no_prune && !opts.observer && !opts.count_cut && !opts.throughflag && opts.checks.empty())
    group = automorphisms(test, program, r.displayed);
  r.symmetries = group.size() + 1;
  if (threads == 1) {
    Enumerator e(test, program, model, opts, r, group);
    e.all_structures();
  } else {
    std::vector<Result> parts(threads);
    std::vector<uint64_t> loop_tasks(threads, 0);
    std::vector<std::exception_ptr> errors(threads);
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        try {
          parts[t].displayed = r.displayed;
          Enumerator e(test, program, model, opts, parts[t], group, t, threads);
          e.all_structures();
          loop_tasks[t] = e.loop_task();
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    for (auto& th : pool) th.join();
    for (auto& err : errors)
      if (err) std::rethrow_exception(err);
    uint64_t loop_task = 0;
    for (size_t t = 0; t < threads; ++t) merge(r, std::move(parts[t]), loop_task, loop_tasks[t]);
  }
  r.seconds = cpu_seconds() - t0;
  if (const char* v = std::getenv("PADDOCK_EXEC_STATS"); v && *v == '1')
    fmt::print(stderr, "exec: {} model runs, {} judged, {} consistent, {} states, {} of {} rf prefixes refuted, {} symmetries, {:.3f} s\n",
               r.model_runs, r.judged, r.consistent, r.states.size(), r.early_cuts, r.early_tries, r.symmetries, r.seconds);
  return r;
}

}  // namespace paddock::exec
