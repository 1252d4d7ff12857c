package main

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeFlag is a byte count given as 2097152, 2048KiB or 2MiB.
type sizeFlag int64

func (s *sizeFlag) String() string {
	n := int64(*s)
	switch {
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n > 0 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return strconv.FormatInt(n, 10)
}

func (s *sizeFlag) Set(v string) error {
	num, unit := strings.TrimSpace(v), int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, unit = strings.TrimSpace(rest), u.n
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/unit {
		return fmt.Errorf("want a positive size such as 2MiB, 512KiB or 100000 (bytes)")
	}
	*s = sizeFlag(n * unit)
	return nil
}
