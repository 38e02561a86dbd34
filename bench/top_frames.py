#!/usr/bin/env python3
"""Summarises a dotnet-trace speedscope file: where a process spent its time, by frame.

    python3 bench/top_frames.py trace.speedscope.json [--top 25] [--match Protection.,Marten.,Npgsql.]

Reads every thread's evented profile and keeps only the time dotnet-trace attributes to CPU
(stacks whose innermost pseudo-frame is CPU_TIME; UNMANAGED_CODE_TIME is mostly waiting). Prints,
for frames whose name contains one of --match, the share of that CPU time spent inside them
(inclusive) and at the top of the managed stack (exclusive).
"""
import argparse
import collections
import json



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="")
    args = parser.parse_args()
    data = json.load(open(args.file))
    frames = [f["name"] for f in data["shared"]["frames"]]
    inclusive = collections.Counter()
    exclusive = collections.Counter()
    busy = 0.0
    for profile in data["profiles"]:
        if profile.get("type") != "evented":
            continue
        stack = []
        last = profile["startValue"]
        for event in profile["events"]:
            at = event["at"]
            if stack and at > last:
                span = at - last
                if frames[stack[-1]] == "CPU_TIME":
                    busy += span
                    if len(stack) > 1:
                        exclusive[frames[stack[-2]]] += span
                    for name in {frames[i] for i in stack}:
                        inclusive[name] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    matches = [m for m in args.match.split(",") if m]
    print(f"CPU time: {busy:.0f} ms across threads")
    print(f"{'inclusive':>9} {'exclusive':>9}  frame")
    shown = 0
    for name, value in inclusive.most_common():
        if matches and not any(m in name for m in matches):
            continue
        print(f"{100 * value / busy:8.1f}% {100 * exclusive[name] / busy:8.1f}%  {name[:160]}")
        shown += 1
        if shown >= args.top:
            break


if __name__ == "__main__":
    main()
