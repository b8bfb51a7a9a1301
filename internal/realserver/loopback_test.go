package realserver

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// listenAddrs returns the local addresses (hex, as /proc/net/tcp writes
// them) of the listening TCP sockets the process pid holds. ok is false
// when /proc cannot tell (not Linux), so the caller skips the check.
func listenAddrs(pid int) (addrs []string, ok bool) {
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return nil, false
	}
	inodes := map[string]bool{}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join(fmt.Sprintf("/proc/%d/fd", pid), fd.Name()))
		if err == nil && strings.HasPrefix(link, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	for _, table := range []string{"tcp", "tcp6"} {
		f, err := os.Open(fmt.Sprintf("/proc/%d/net/%s", pid, table))
		if err != nil {
			if table == "tcp" {
				return nil, false
			}
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fs := strings.Fields(sc.Text())
			if len(fs) > 9 && fs[3] == "0A" && inodes[fs[9]] {
				addrs = append(addrs, fs[1])
			}
		}
		_ = f.Close()
	}
	return addrs, true
}

// loopbackOnly reports the listening addresses that are not 127.0.0.1.
func loopbackOnly(addrs []string) []string {
	var bad []string
	for _, a := range addrs {
		host, _, _ := strings.Cut(a, ":")
		if host != "0100007F" { // 127.0.0.1, little-endian hex
			bad = append(bad, a)
		}
	}
	return bad
}

func TestLoopbackOnly(t *testing.T) {
	in := []string{"0100007F:1F90", "00000000:0050", "00000000000000000000000000000000:0050", "0100007F:0050"}
	got := loopbackOnly(in)
	if want := in[1:3]; !slices.Equal(got, want) {
		t.Errorf("loopbackOnly(%q) = %q, want %q", in, got, want)
	}
}
