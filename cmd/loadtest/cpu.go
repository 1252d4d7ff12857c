package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Throughput on a shared 2-core machine swings with whatever else runs;
// the CPU a server spends per request swings much less. Each run records
// both, so a ratio can be checked against the other.

// cpuMeter reads the CPU time (user + system) a target has used so far.
type cpuMeter func() (time.Duration, error)

// selfCPU is this process's CPU time: the Go targets run in it, and only
// the one being loaded is busy.
func selfCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// clockTick is USER_HZ, the unit of /proc/PID/stat times; it is 100 on
// every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// processTreeCPU is the CPU time of pid and its direct children (nginx's
// master and its workers), from /proc.
func processTreeCPU(pid int) cpuMeter {
	return func() (time.Duration, error) {
		total, _, err := procCPU(pid)
		if err != nil {
			return 0, err
		}
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, s := range stats {
			child, err := strconv.Atoi(filepath.Base(filepath.Dir(s)))
			if err != nil || child == pid {
				continue
			}
			cpu, ppid, err := procCPU(child)
			if err == nil && ppid == pid {
				total += cpu
			}
		}
		return total, nil
	}
}

// procCPU reads utime+stime and the parent pid of pid.
func procCPU(pid int) (cpu time.Duration, ppid int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	return parseStat(string(b))
}

// parseStat reads fields 4 (ppid), 14 (utime) and 15 (stime) of a
// /proc/PID/stat line. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStat(s string) (cpu time.Duration, ppid int, err error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("stat line %q has no command name", s)
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("stat line %q is too short", s)
	}
	ppid, err1 := strconv.Atoi(f[1])
	ut, err2 := strconv.ParseInt(f[11], 10, 64)
	st, err3 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, 0, fmt.Errorf("stat line %q: unreadable ppid, utime or stime", s)
	}
	return time.Duration(ut+st) * clockTick, ppid, nil
}
