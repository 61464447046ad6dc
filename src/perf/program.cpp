#include "perf/program.hpp"

#include "perf/model.hpp"

namespace paddock::perf {

uint64_t mem_bit(int var) {
  int g = var < V_TCPU ? 0 : var < V_CURR ? 1 : var < V_ONLINE ? 2 : var < V_DS ? 3 : var < V_DSAREA ? 4 : 5;
  return bit(R_MEM0 + g);
}

void Ex::viol(Prop k, std::string d) const {
  if (out) out->viol.push_back({k, std::move(d)});
}
void Ex::info(Prop k, std::string d) const {
  if (out) out->info.push_back({k, std::move(d)});
}

int B::label() {
  p.label_pc.push_back(-1);
  return int(p.label_pc.size()) - 1;
}
void B::bind(int l) { p.label_pc[l] = int(p.nodes.size()); }
void B::quiet() { next_quiet = true; }

Step& B::guard(const std::string& lbl, EnFn en, ApFn ap, BlkFn blk, Foot f) {
  Node n;
  n.quiet = next_quiet;
  n.op = op;
  next_quiet = false;
  Step s;
  s.label = L(lbl);
  s.en = std::move(en);
  s.ap = std::move(ap);
  s.blk = std::move(blk);
  s.foot = f;
  n.alts.push_back(std::move(s));
  p.nodes.push_back(std::move(n));
  return p.nodes.back().alts.back();
}

Step& B::step(const std::string& lbl, ApFn ap, Foot f) { return guard(lbl, {}, std::move(ap), {}, f); }

Step& B::alt(const std::string& lbl, EnFn en, ApFn ap, Foot f) {
  Step s;
  s.label = L(lbl);
  s.en = std::move(en);
  s.ap = std::move(ap);
  s.foot = f;
  p.nodes.back().alts.push_back(std::move(s));
  return p.nodes.back().alts.back();
}

void Prog::finish() {
  int n = int(nodes.size());
  future.assign(n + 1, Foot{0, 0});
  bool changed = true;
  while (changed) {
    changed = false;
    for (int pc = n - 1; pc >= 0; --pc) {
      Foot f = future[pc];
      auto join = [&](int q) {
        f.r |= future[q].r;
        f.w |= future[q].w;
      };
      for (const Step& s : nodes[pc].alts) {
        f.r |= s.foot.r;
        f.w |= s.foot.w;
        if (s.falls) join(pc + 1);
        for (int l : s.jumps) join(label_pc[l]);
      }
      if (f.r != future[pc].r || f.w != future[pc].w) {
        future[pc] = f;
        changed = true;
      }
    }
  }
}

}  // namespace paddock::perf
