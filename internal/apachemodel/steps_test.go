package apachemodel

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestSatisfyAnyWithAuthzSVN: mod_authz_svn's access checker takes part
// under Satisfy Any, so the host check passing does not open the path.
func TestSatisfyAnyWithAuthzSVN(t *testing.T) {
	loc := "<Location /svn/>\nAuthType Basic\nAuthName x\nAuthUserFile /etc/apache2/htpasswd\nSatisfy Any\nRequire valid-user\n%s</Location>\n"
	for _, tc := range []struct {
		extra string
		open  bool
	}{
		{"", true},
		{"AuthzSVNAccessFile /etc/apache2/svn.access\n", false},
	} {
		m := build(t, base+strings.Replace(loc, "%s", tc.extra, 1), nil)
		need, d := m.Servers[0].NeedsUser("/svn/x", "GET")
		if (d.SatisfyAny != nil) != tc.open || need == tc.open {
			t.Errorf("%q: SatisfyAny %v, NeedsUser %v; want open %v", tc.extra, d.SatisfyAny, need, tc.open)
		}
	}
}

// TestUndecidedIf: an <If> on a request header is left out of the chain
// but listed, and its own Require set can be read.
func TestUndecidedIf(t *testing.T) {
	conf := base + "<Directory /var/www/html/admin>\n" + htAuth + "</Directory>\n<If \"%{HTTP_HOST} == 'dev.example.com'\">\nRequire all granted\n</If>\n"
	m := build(t, conf, nil)
	s := m.Servers[0]
	sc := s.Merge("/admin/x", "GET")
	if need, _ := s.NeedsUser("/admin/x", "GET"); !need {
		t.Fatal("the undecided <If> must not open the path by itself")
	}
	if len(sc.Undecided) != 1 || sc.Undecided[0].Kind != "If" {
		t.Fatalf("Undecided = %v", sc.Undecided)
	}
	res, ok := SectionResult(sc.Undecided[0], "GET")
	if !ok || !res.Grants() {
		t.Errorf("SectionResult = %v %v, want a grant", res, ok)
	}
	if _, ok := SectionResult(sc.Chain[0], "GET"); ok {
		t.Error("the server level has no Require set")
	}
}

// TestSampleURLAlternatives: a group of alternatives reads as its first.
func TestSampleURLAlternatives(t *testing.T) {
	for _, tc := range []struct{ re, want string }{
		{`\.(css|js|png)$`, "x.css"},
		{`^/(?:admin|manage)/`, "/admin/"},
		{`\.ph(ar|p|tml)$`, "x.phar"},
	} {
		if got := SampleURL(tc.re); got != tc.want {
			t.Errorf("SampleURL(%q) = %q, want %q", tc.re, got, tc.want)
		}
	}
}
