package realserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadProbeRejects: a probe file that could assert nothing, or less
// than it seems to, is an error rather than a passing test.
func TestLoadProbeRejects(t *testing.T) {
	for _, c := range []struct{ name, text, err string }{
		{"typo", "server: nginx\nrequests:\n  - {method: GET, path: /, status: 200, stauts: 401}\n", "stauts"},
		{"no requests", "server: nginx\n", "no requests"},
		{"no status", "server: nginx\nrequests:\n  - {method: GET, path: /}\n", "needs method, path and status"},
		{"server", "server: caddy\nrequests:\n  - {method: GET, path: /, status: 200}\n", "nginx or apache"},
		{"modules", "server: nginx\nmodules: [headers]\nrequests:\n  - {method: GET, path: /, status: 200}\n", "modules are for apache"},
		{"unreached", "server: nginx\nrequests:\n  - {method: GET, path: /, status: 200, backend: {reached: false, authorization: x}}\n", "not reached"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), ProbeFile)
			if err := os.WriteFile(path, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadProbe(path)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("error %v, want one mentioning %q", err, c.err)
			}
		})
	}
}

func TestLoadProbeDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), ProbeFile)
	if err := os.WriteFile(path, []byte("server: apache\nrequests:\n  - {method: GET, path: /, status: 401}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := loadProbe(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("etc", "apache2", "apache2.conf"); p.Config != want {
		t.Errorf("config %q, want %q", p.Config, want)
	}
}
