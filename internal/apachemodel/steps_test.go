package apachemodel

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestSetSteps checks the per-section view of the authz merge: which
// section replaced or joined the set, and what each says alone.
func TestSetSteps(t *testing.T) {
	admin := "<Directory /var/www/html/admin>\n" + htAuth + "</Directory>\n"
	for _, tc := range []struct {
		name      string
		conf      string
		url       string
		wantKinds []string
		wantMerge []string
		wantOwn   []bool // Own.NeedsUser per step
		wantAfter []bool // After.NeedsUser per step
		lastGrant bool   // the set in effect grants everyone
	}{
		{
			"Location / replaces the Directory auth", base + admin + "<Location />\nRequire all granted\n</Location>\n", "/admin/x",
			[]string{"Directory", "Directory", "Directory", "Location"},
			[]string{"", "", "", ""},
			[]bool{false, false, true, false},
			[]bool{false, false, true, false},
			true,
		},
		{
			"AuthMerging And keeps it", base + admin + "<Location />\nAuthMerging And\nRequire all granted\n</Location>\n", "/admin/x",
			[]string{"Directory", "Directory", "Directory", "Location"},
			[]string{"", "", "", "and"},
			[]bool{false, false, true, false},
			[]bool{false, false, true, true},
			false,
		},
		{
			"AuthMerging Or opens it", base + admin + "<Location />\nAuthMerging Or\nRequire all granted\n</Location>\n", "/admin/x",
			[]string{"Directory", "Directory", "Directory", "Location"},
			[]string{"", "", "", "or"},
			[]bool{false, false, true, false},
			[]bool{false, false, true, false},
			true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.conf, nil)
			s := m.Servers[0]
			steps := s.SetSteps(s.Merge(tc.url, "GET"))
			if len(steps) != len(tc.wantKinds) {
				t.Fatalf("got %d steps, want %d", len(steps), len(tc.wantKinds))
			}
			for i, st := range steps {
				if st.Section.Kind != tc.wantKinds[i] || st.Merging != tc.wantMerge[i] ||
					st.Own.NeedsUser != tc.wantOwn[i] || st.After.NeedsUser != tc.wantAfter[i] {
					t.Errorf("step %d: %s merging %q own %v after %v", i, st.Section.Label(), st.Merging, st.Own, st.After)
				}
			}
			if got := steps[len(steps)-1].After.Grants(); got != tc.lastGrant {
				t.Errorf("last step grants: %v, want %v", got, tc.lastGrant)
			}
		})
	}
}

func TestURLForFile(t *testing.T) {
	conf := base + "Alias /static /srv/static\n"
	m := build(t, conf, nil)
	s := m.Servers[0]
	sys := m.res.Sysroot
	for _, tc := range []struct{ file, want string }{
		{"/var/www/html/.htpasswd", "/.htpasswd"},
		{"/var/www/html/admin/users", "/admin/users"},
		{filepath.Join(sys, "var", "www", "html", "users.passwd"), "/users.passwd"},
		{"/srv/static/pw", "/static/pw"},
		{"/etc/apache2/htpasswd", ""},
		{"/var/www/html", ""},
		{"relative/htpasswd", ""},
	} {
		if got := s.URLForFile(tc.file); got != tc.want {
			t.Errorf("URLForFile(%s) = %q, want %q", tc.file, got, tc.want)
		}
	}
}

// TestSampleURLsUnanchoredLocationMatch: a pattern without ^ reaches into
// every directory, so its sample is tried under each.
func TestSampleURLsUnanchoredLocationMatch(t *testing.T) {
	m := build(t, base+"<Directory /var/www/html/admin>\nRequire valid-user\n</Directory>\n<LocationMatch \\.txt$>\nRequire all granted\n</LocationMatch>\n<LocationMatch ^/api/.*\\.json$>\nRequire all granted\n</LocationMatch>\n", nil)
	got := m.Servers[0].SampleURLs()
	if !slices.Contains(got, "/admin/x.txt") {
		t.Errorf("SampleURLs() = %v, missing /admin/x.txt", got)
	}
	if slices.Contains(got, "/admin/x.json") {
		t.Errorf("SampleURLs() = %v: an anchored pattern stays where it is", got)
	}
}

// TestExistingFileIsNotDir: a file that exists is a file, so <Files>
// sections see its name (the stock `<Files ".ht*">` covers /.htpasswd).
func TestExistingFileIsNotDir(t *testing.T) {
	m := build(t, base+"<Files \".ht*\">\nRequire all denied\n</Files>\n", nil)
	if err := os.WriteFile(filepath.Join(m.res.Sysroot, "var", "www", "html", ".htpasswd"), []byte("u:x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := m.Servers[0]
	sc := s.Merge("/.htpasswd", "GET")
	if sc.Target.IsDir {
		t.Fatal("/.htpasswd mapped to a directory")
	}
	if d := s.Decide(sc); !d.Forbidden {
		t.Errorf("GET /.htpasswd not denied: %s", sc.ChainString())
	}
	if !s.Merge("/", "GET").Target.IsDir {
		t.Error("/ is a directory")
	}
}
