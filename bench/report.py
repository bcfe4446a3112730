#!/usr/bin/env python3
"""Turns bench/run's JSON (a results directory) into the results page and a
chart of the ratios. --check fails when a uxc measurement is missing or
failed: what `bench/run --quick` proves. It never judges a timing.

usage: report.py RESULTS_DIR --results-md FILE --chart FILE.png [--check]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

# Each command's own cost is measured above the baseline that launches it the
# same way; the rest start from the timer's plain exec of /bin/true.
BASELINE_OF = {"crun-rootless": "baseline-hide-cg2", "lxc-execute-cgroups": "baseline-user-cgroup",
               "uxc-run-cgroup": "baseline-user-cgroup", "uxc-run-cgroup-own-id": "baseline-user-cgroup"}
BASELINES = {"baseline", "baseline-hide-cg2", "baseline-user-cgroup"}
FLOOR = "unshare-floor"

NOT_MEASURED = [
    ("uxc run with a delegated cgroup", "uxc gives containers no cgroup of their own yet (issue 12)."),
    ("uxc run with a veth", "uxc has no veth yet: uxc-user-nic lands with issue 13."),
    ("network throughput over a veth", "needs uxc's veth (issue 13)."),
    ("scale in a netns with a bridge and a quota of 100", "needs uxc's veth (issue 13)."),
    ("system start of Debian sysvinit and systemd guests", "not in this run: busybox only; systemd guests need a "
     "delegated cgroup (issue 12)."),
]


def load(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def quantile(values, q):
    ordered = sorted(values)
    return ordered[int(round(q * (len(ordered) - 1)))]


def med(values):
    return statistics.median(values) if values else float("nan")


def fmt(value, digits=2):
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}f}"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


PATHS = {}  # long scratch paths -> short names, from meta.json


def command_line(argv):
    def short(arg):
        for path, name in PATHS.items():
            arg = arg.replace(path, name)
        return arg if arg and all(c.isalnum() or c in "-_./=:{}+,$" for c in arg) else repr(arg)
    return " ".join(short(a) for a in argv)


# ---- app start

def app_summary(app):
    """name -> dict of medians, spreads, own cost and ratios."""
    cmds = {c["name"]: c for c in app["commands"]}
    out = {}
    for name, c in cmds.items():
        if c["failure"] or not c["runs"]:
            out[name] = {"failure": c["failure"] or "no runs", "argv": c["argv"], "as_root": c["as_root"]}
            continue
        wall = [r["wall_ms"] for r in c["runs"]]
        cpu = [r["cpu_ms"] for r in c["runs"]]
        rss = [r["maxrss_kib"] for r in c["runs"]]
        out[name] = {"median": med(wall), "p10": quantile(wall, 0.1), "p90": quantile(wall, 0.9),
                     "cpu": med(cpu), "rss": med(rss), "runs": len(wall), "argv": c["argv"], "as_root": c["as_root"]}
    for name, s in out.items():
        base = out.get(BASELINE_OF.get(name, "baseline"), {})
        if "median" in s and "median" in base and name not in BASELINES:
            s["own"] = s["median"] - base["median"]
            s["own_cpu"] = s["cpu"] - base["cpu"]
    floor = out.get(FLOOR, {})
    for s in out.values():
        if "median" in s and "median" in floor:
            s["x_floor"] = s["median"] / floor["median"]
            s["cpu_x_floor"] = s["cpu"] / floor["cpu"]
            if "own" in s and "own" in floor:
                s["own_x_floor"] = s["own"] / floor["own"]
    return out


def app_section(app):
    s = app_summary(app)
    bwrap_cpu = s.get("bwrap", {}).get("cpu")
    rows, failed = [], []
    for name, r in s.items():
        if "failure" in r:
            failed.append(f"- `{name}` failed and was not timed: {r['failure'].strip()[:300]}")
            continue
        rows.append([f"**{name}**" if name == "uxc-run" else name, fmt(r["median"]), f"{fmt(r['p10'])}–{fmt(r['p90'])}",
                     fmt(r.get("own")), fmt(r.get("x_floor")), fmt(r.get("own_x_floor")), fmt(r["cpu"]),
                     fmt(r["cpu"] / bwrap_cpu) if bwrap_cpu else "–", fmt(r["rss"] / 1024, 1)])
    runs = max((r.get("runs", 0) for r in s.values()), default=0)
    text = [table(["name", "median ms", "p10–p90 ms", "own ms", "× floor", "own × floor", "CPU ms", "CPU × bwrap",
                   "peak RSS MiB"], rows), "",
            f"{runs} runs per command in {app.get('rounds', '?')} rounds of {app.get('round_size', '?')} (the order "
            "of the commands shuffled in every round). \"own\": the median minus "
            "the median of the baseline that launches the command the same way (`baseline`: the timer's exec of "
            "/bin/true as the user; crun: `baseline-hide-cg2`; LXC and uxc with cgroups: `baseline-user-cgroup`). "
            "\"× floor\": the median over unshare-floor's; \"own × floor\": own over unshare-floor's own. "
            "\"CPU ms\": the median of user + sys of the whole process tree per start (every descendant is reaped "
            "by the timer, setuid helpers and daemonised parts included). \"peak RSS\": the largest process of the "
            "tree (ru_maxrss of the waited command).", "",
            "podman ran `SCHED_OTHER` even in a `SCHED_FIFO` run: Go's runtime spins at a real-time priority and "
            "starves its own threads on two cores. lxc-execute-cgroups joins cgroups delegated to the user in every "
            "v1 hierarchy and the cgroup2 one, except the `cpu` hierarchy under `SCHED_FIFO` (a real-time task "
            "cannot join a cpu cgroup without a real-time budget). lxc-execute-veth gets a veth onto a bridge made "
            "for the run through LXC's setuid `lxc-user-nic`."]
    text += failed
    return "\n".join(text), s


# ---- system containers

def cycle_summary(data):
    out = {}
    for c in data["cases"]:
        runs = c["runs"]
        count = data["count"]
        out[c["name"]] = {
            "ready": med([r["ready_ms"] for r in runs]),
            "ready_p10": quantile([r["ready_ms"] for r in runs], 0.1) if runs else None,
            "ready_p90": quantile([r["ready_ms"] for r in runs], 0.9) if runs else None,
            "start": med([r["start_ms"] for r in runs]),
            "stop": med([r["stop_ms"] for r in runs]),
            "gone": med([r["gone_ms"] for r in runs]),
            "cpu": med([r["cpu_ms"] for r in runs]),
            "cycle": med([r["ready_ms"] + r["gone_ms"] for r in runs]),
            "failures": sum(r["start_failures"] + r["not_ready"] + r["stop_failures"] + r["leftovers"] for r in runs),
            "failed_runs": c["failed_runs"], "runs": len(runs), "count": count,
            "monitor_rss": [m["rss_kib"] for r in runs for m in r["monitors"]],
            "monitor_pss": [m["pss_kib"] for r in runs for m in r["monitors"]],
            "monitors_per_run": med([len(r["monitors"]) for r in runs]),
            "comms": sorted({m["comm"] for r in runs for m in r["monitors"]}),
            "start_argv": c["start"], "stop_argv": c["stop"], "ready_path": c["ready"],
        }
    return out


def ratio(summary, a, b, key):
    if a in summary and b in summary and summary[b][key]:
        return summary[a][key] / summary[b][key]
    return None


def system_section(data, halt):
    s = cycle_summary(data)
    rows = [[n, fmt(r["ready"], 1), f"{fmt(r['ready_p10'], 1)}–{fmt(r['ready_p90'], 1)}", fmt(r["start"], 1),
             fmt(r["stop"], 1), fmt(r["gone"], 1), fmt(r["cycle"], 1), fmt(r["cpu"], 1), r["failures"]]
            for n, r in s.items()]
    text = [table(["case", "start→ready ms", "p10–p90", "start cmd ms", "stop cmd ms", "stop→all gone ms",
                   "cycle ms", "CPU ms / cycle", "failures"], rows), ""]
    ratios = {k: ratio(s, "uxc-kill", "lxc-kill", k) for k in ("ready", "stop", "gone", "cycle", "cpu")}
    if ratios["ready"]:
        text.append(f"uxc / LXC: start→ready **{fmt(ratios['ready'])}**, kill-stop {fmt(ratios['stop'])}, "
                    f"whole cycle {fmt(ratios['cycle'])}, CPU per cycle {fmt(ratios['cpu'])}.")
    text.append(f"\n{max((r['runs'] for r in s.values()), default=0)} cycles per tool, alternating. \"start→ready\": "
                "from the start command's fork until the init's marker file exists (`::wait:/bin/touch "
                "/bench-ready`, run by busybox init after rcS); \"start cmd\": until `uxc start` / `lxc-start` "
                "returned; \"stop cmd\": `uxc stop -k` / `lxc-stop -k` until it returned; \"all gone\": until the "
                "monitor and every other process had exited; \"cycle\": start→ready plus stop→all gone. CPU: the "
                "whole cycle's process tree (the monitor and the container included).")
    hs = None
    if halt:
        hs = cycle_summary(halt)
        text += ["", "With a clean halt (`uxc stop` / `lxc-stop` without `-k`: `lxc.signal.halt` = SIGUSR1, on "
                 "which busybox init runs its shutdown and sleeps 1 s twice before it exits):", "",
                 table(["case", "start→ready ms", "stop cmd ms", "stop→all gone ms", "failures"],
                       [[n, fmt(r["ready"], 1), fmt(r["stop"], 1), fmt(r["gone"], 1), r["failures"]]
                        for n, r in hs.items()])]
    return "\n".join(text), s, ratios, hs


def scale_sections(scales):
    rows, foot = [], []
    per = {}
    for n, data in sorted(scales.items()):
        s = cycle_summary(data)
        for name, r in s.items():
            tool = name.split("-")[0]
            per[(tool, n)] = r
            rows.append([n, tool, fmt(r["ready"] / n, 1), fmt(r["gone"] / n, 1), fmt(r["cpu"] / n, 1),
                         fmt(r["ready"], 0), f"{r['failures']} / {n}"])
            if r["monitor_rss"]:
                foot.append([n, tool, ", ".join(r["comms"]), fmt(r["monitors_per_run"], 0),
                             fmt(med(r["monitor_rss"]), 0), fmt(med(r["monitor_pss"]), 0),
                             fmt(sum(r["monitor_pss"]) / 1024, 1)])
    scale_text = "\n".join([
        table(["N", "tool", "start→ready ms / container", "stop→gone ms / container", "CPU ms / container",
               "start→all ready ms", "failures"], rows), "",
        "N containers started at once (N start commands in parallel, without SCHED_FIFO), until every init wrote "
        "its marker, then N kill-stops at once until everything had exited. \"/ container\": the wall time of "
        "the whole step divided by N. A failure is a start or stop command that failed, a marker that did not "
        "appear within 60 s + N s, or a process left at the end."])
    foot_text = "\n".join([
        table(["N", "tool", "processes left after the start", "per container", "RSS KiB (median)",
               "PSS KiB (median)", "PSS MiB, all"], foot), "",
        "Read while all N containers ran: every process the start left behind that is not in a container (the "
        "timer is their subreaper: uxc's `uxc-monitor`, LXC's monitor, `lxc-start` daemonised). RSS counts a "
        "binary's shared pages in each process; PSS divides them among the processes that share them."])
    return scale_text, foot_text, per


def idmap_section(data):
    h = data["helpers"]
    rows = [[name, fmt(v["median_ms"], 3), fmt(v["p10_ms"], 3), fmt(v["p90_ms"], 3)] for name, v in h.items()]
    text = [table(["helper (65536 ids)", "median ms", "p10", "p90"], rows), ""]
    if "uxc-newidmap" in h:
        text.append(f"uxc-newidmap (both maps, one exec) / shadow's newuidmap + newgidmap: **"
                    f"{fmt(h['uxc-newidmap']['median_ms'] / h['shadow-newuidmap+newgidmap']['median_ms'])}**; "
                    f"uxc-newuidmap / shadow newuidmap: {fmt(h['uxc-newuidmap']['median_ms'] / h['shadow-newuidmap']['median_ms'])}.")
    text.append(f"\n{data['runs']} runs each, alternating; each run forks a process of the bench user in a new user "
                "namespace and times the helper's fork + exec + exit as that user (`bench/idmap_bench.cc`).")
    return "\n".join(text)


# ---- chart

def chart(path, app, system, per):
    if not shutil.which("gnuplot"):
        return "gnuplot is not installed: no chart."
    peers = [n for n in ("uxc-run", "bwrap", "crun-rootless", "lxc-execute", "lxc-execute-veth", "lxc-execute-cgroups",
                         "podman")
             if n in app and "own_x_floor" in app[n]]
    app_rows = "\n".join(f'"{n}" {app[n]["own_x_floor"]:.3f} {app[n]["cpu_x_floor"]:.3f}' for n in peers)
    sys_rows = []
    for label, key in (("start→ready", "ready"), ("kill-stop", "gone"), ("CPU / cycle", "cpu")):
        r = ratio(system, "uxc-kill", "lxc-kill", key) if system else None
        if r:
            sys_rows.append(f'"{label}" {r:.3f}')
    big = max((n for (t, n) in per if t == "uxc" and ("lxc", n) in per), default=None)
    if big:
        u, lx = per[("uxc", big)], per[("lxc", big)]
        if lx["ready"] and lx["cpu"]:
            sys_rows.append(f'"{big} at once: ready" {u["ready"] / lx["ready"]:.3f}')
            sys_rows.append(f'"{big} at once: CPU" {u["cpu"] / lx["cpu"]:.3f}')
    head = f"""
set terminal pngcairo size {700 * (bool(app_rows) + bool(sys_rows))},560 font "DejaVu Sans,11"
set output "{path}"
set multiplot layout 1,{int(bool(app_rows)) + int(bool(sys_rows))}
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -25 scale 0
set key top left
"""
    app_panel = f"""
set logscale y
set yrange [0.5:*]
set title "App start (/bin/true) against the unshare floor (log scale)"
set ylabel "× unshare floor"
$app << EOD
{app_rows}
EOD
plot $app using 2:xtic(1) title "own wall time × floor's", '' using 3 title "CPU time × floor's", \\
     1 with lines lc rgb "black" dt 2 notitle
"""
    sys_panel = f"""
unset logscale y
set yrange [0:{max([1.2] + [float(r.rsplit(" ", 1)[1]) * 1.15 for r in sys_rows]):.2f}]
set title "System container (busybox): uxc / LXC"
set ylabel "uxc ÷ LXC"
$sys << EOD
{chr(10).join(sys_rows)}
EOD
plot $sys using 2:xtic(1) title "uxc ÷ LXC" lc rgb "#3b7dd8", 1 with lines lc rgb "black" dt 2 title "equal", \\
     0.4 with lines lc rgb "#c03030" dt 2 lw 2 title "target 0.4 (start)"
"""
    if not app_rows and not sys_rows:
        return "no ratios to plot."
    script = head + (app_panel if app_rows else "") + (sys_panel if sys_rows else "") + "unset multiplot\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True, stdout=subprocess.DEVNULL)
    return None


# ---- the page

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--results-md", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    d = args.results
    meta = load(d, "meta.json") or {}
    if meta.get("work"):
        PATHS[meta["work"]] = "$WORK"
    if meta.get("bin"):
        PATHS[meta["bin"]] = "$BIN"
    app, system, halt, idmap = (load(d, n) for n in ("app.json", "system.json", "system-halt.json", "idmap.json"))
    scales = {}
    for name in os.listdir(d):
        if name.startswith("scale-") and name.endswith(".json"):
            scales[int(name[6:-5])] = load(d, name)
    problems = []

    parts = ["# uxc beside its peers: results of `bench/run`", "",
             "Generated by `bench/report.py` from the JSON in `bench/results/` (rerun `bench/run` as root to "
             "renew it; `bench/README.md` explains the method).", "",
             "## Machine and run", "",
             table(["", ""], [["date (UTC)", meta.get("date", "?")], ["machine", f"{meta.get('os', '?')}, kernel "
                              f"{meta.get('kernel', '?')}, {meta.get('cpus', '?')} cores ({meta.get('cpu_model', '?')}), "
                              f"{meta.get('mem_gib', '?')} GiB"],
                              ["load average (1, 5, 15 min)", f"{meta.get('load_before', '?')} before, "
                               f"{meta.get('load_after', '?')} after"],
                              ["SCHED_FIFO", f"priority {meta.get('chrt')} for the app, system and id-map sections (not scale)"
                               if meta.get("chrt") else "not used"],
                              ["uxc", f"commit {meta.get('uxc_commit', '?')}, built by `{meta.get('uxc_build', '?')}`"],
                              ["versions", ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items())]]),
             "",
             "The machine is shared with other engineers' builds and was loaded during the run (the load average "
             "above); absolute times move by ±50 % with the load, so read the ratios, which come from runs "
             "interleaved on the same machine at the same time. Every command runs as the unprivileged user "
             "`uxct-bench` (subordinate range 700000:65536), on copies of the same busybox-static rootfs.", ""]

    app_s, sys_s, ratios, per = {}, {}, {}, {}
    if app:
        text, app_s = app_section(app)
        parts += ["## App start: `/bin/true`, start to exit", "", text, ""]
        parts += load_note(app_s, idmap)
        u = app_s.get("uxc-run", {})
        if "own_x_floor" not in u:
            problems.append("uxc-run was not timed: " + str(u.get("failure", "missing")))
    if system:
        text, sys_s, ratios, _ = system_section(system, halt)
        parts += ["## System container: start until the init is ready, and stop", "", text, ""]
        if "uxc-kill" not in sys_s or sys_s["uxc-kill"]["failures"]:
            problems.append("uxc's system start/stop cycle failed")
    if scales:
        scale_text, foot_text, per = scale_sections(scales)
        parts += ["## Scale: N containers started at once, then stopped", "", scale_text, "",
                  "## Footprint: the monitor per running container", "", foot_text, ""]
        for (tool, n), r in per.items():
            if tool == "uxc" and r["failures"]:
                problems.append(f"uxc failed {r['failures']} of {n} parallel starts/stops")
    if idmap:
        parts += ["## Helpers: one id-map exec", "", idmap_section(idmap), ""]

    parts += targets(app_s, ratios, per, scales, sys_s)
    parts += ["## Not measured yet", "", table(["what", "why"], NOT_MEASURED), ""]
    parts += commands(app, system, halt, scales)

    chart_note = chart(os.path.abspath(args.chart), app_s, sys_s, per) if (app_s or sys_s) else "no data"
    if chart_note:
        parts.insert(4, f"(Chart: {chart_note})\n")
    else:
        parts.insert(4, f"![ratios]({os.path.relpath(args.chart, os.path.dirname(os.path.abspath(args.results_md)))})\n")
    with open(args.results_md, "w") as f:
        f.write("\n".join(parts).rstrip() + "\n")
    if args.check:
        for p in problems:
            print("report.py: " + p, file=sys.stderr)
        return 1 if problems else 0
    return 0


def load_note(app, idmap):
    """How much the load inflated every exec, from the run's own baselines."""
    base = app.get("baseline", {})
    if "median" not in base:
        return []
    text = (f"**How loaded.** The timer's plain exec of `/bin/true` as the user took {fmt(base['median'])} ms "
            f"(wall) and {fmt(base['cpu'])} ms of CPU in this run")
    if idmap:
        text += (f"; the empty static program of the id-map benchmark "
                 f"{fmt(idmap['helpers']['empty-static']['median_ms'])} ms")
    text += (" (0.50 ms on a quiet machine, bench/README.md). Every fork and exec cost several times what it costs "
             "on an idle machine, in CPU time too, so a fixed cost that every command pays alike weighs more and "
             "ratios close to 1 are pulled towards 1. Take ratios within about ±0.1 of each other as equal.")
    return [text, ""]


def targets(app, ratios, per, scales, system):
    u, b = app.get("uxc-run", {}), app.get("bwrap", {})
    rows = []
    if "own_x_floor" in u:
        rows.append(["app start: own cost ≤ 1.3× the floor", f"{fmt(u['own_x_floor'])}×",
                     "met" if u["own_x_floor"] <= 1.3 else "not met"])
    if "cpu" in u and "cpu" in b:
        rows.append(["app start: CPU per start ≤ bubblewrap's", f"{fmt(u['cpu'])} ms vs {fmt(b['cpu'])} ms "
                     f"({fmt(u['cpu'] / b['cpu'])}×)", "met" if u["cpu"] <= b["cpu"] else "not met"])
    if ratios.get("ready"):
        rows.append(["system start ≤ 0.4× LXC's", f"{fmt(ratios['ready'])}× (start→ready); whole kill cycle "
                     f"{fmt(ratios['cycle'])}×", "met" if ratios["ready"] <= 0.4 else "not met"])
    uxc_rss = [v for (t, n), r in per.items() if t == "uxc" for v in r["monitor_rss"]]
    if uxc_rss:
        rows.append(["monitor RSS ≤ 1 MiB", f"{fmt(med(uxc_rss), 0)} KiB (median over all runs)",
                     "met" if med(uxc_rss) <= 1024 else "not met"])
    uxc_scale = {n: r for (t, n), r in per.items() if t == "uxc"}
    if uxc_scale:
        fails = sum(r["failures"] for r in uxc_scale.values())
        rows.append(["100 parallel starts with no failure", f"{fails} failures in N = "
                     f"{', '.join(str(n) for n in sorted(uxc_scale))}", "met" if fails == 0 and 100 in uxc_scale
                     else ("not met" if fails else "not run at 100")])
        if 10 in uxc_scale and 100 in uxc_scale:
            a, z = uxc_scale[10]["ready"] / 10, uxc_scale[100]["ready"] / 100
            rows.append(["flat time per container from 10 to 100", f"{fmt(a, 1)} → {fmt(z, 1)} ms per container "
                         f"({fmt(z / a)}×)", "met" if z <= a * 1.25 else "not met"])
    note = ("The app-start ratios come from a machine whose every exec was slowed several times over (\"How "
            "loaded\", above), which pulls them towards 1: on a quieter machine, in hyperfine runs, uxc run's own "
            "cost was 1.38–1.48× the floor's (bench/README.md, history). Read \"met\" there as \"met on this "
            "machine today\".") if "own_x_floor" in u else ""
    return ["## Against the issue's targets", "", table(["target", "measured", ""], rows) if rows else "(no data)", "",
            note, ""]


def commands(app, system, halt, scales):
    out = ["## Exact commands", "", "Run as the bench user by `bench/bench_timer` (the `--root` ones as root; "
           "they drop to the user themselves). `{i}` is the container's number; `$BIN` is where uxc and its "
           "helpers were installed (tools/install, the helpers setuid root), `$WORK` bench/run's scratch "
           "directory.", "", "```"]
    if app:
        for c in app["commands"]:
            out.append(f"{c['name']}: {command_line(c['argv'])}")
    seen = set()
    for data in filter(None, [system, halt] + [scales[n] for n in sorted(scales)][:1]):
        for c in data["cases"]:
            if c["name"] in seen:
                continue
            seen.add(c["name"])
            out.append(f"{c['name']}: start {command_line(c['start'])}; ready when {command_line([c['ready']])} exists; "
                       f"stop {command_line(c['stop'])}")
    out += ["```", ""]
    return out


if __name__ == "__main__":
    sys.exit(main())
