# Sourced by the CLI benches: runs the command lines in the array `commands` RUNS times, one of
# each per round, so that a noisy neighbour slows every case alike, and keeps each one's
# start-to-exit times in `samples[i]` (microseconds, by bash's clock variable: no `date` process).
# Start-up times differ more between this workplace's hosts than between builds: the host line
# says which host.
declare -A samples
time_interleaved() { # RUNS
  local r i start end
  for ((r = 0; r < $1; r++)); do
    for i in "${!commands[@]}"; do
      start=$EPOCHREALTIME
      ${commands[$i]} > /dev/null 2>&1
      end=$EPOCHREALTIME
      samples[$i]+="$((${end/./} - ${start/./})) "
    done
  done
}
median_us() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
host_line() { # RUNS
  local model
  model=$(sed -n '/^model name/{s/^[^:]*:[[:space:]]*//;p;q}' /proc/cpuinfo 2> /dev/null || true)
  echo "machine: ${model:-$(uname -m)}, $(nproc) cores, $(uname -sr); median of $1 interleaved runs"
}
