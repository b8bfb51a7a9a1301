package realserver

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/authlint/authlint/internal/config"
)

// Fixture upstreams, replaced by the addresses of the test's back ends.
const (
	fixtureHTTPUpstream = "127.0.0.1:9000"
	fixtureFCGIUpstream = "127.0.0.1:9001"
)

var (
	// nginx `listen [addr:]port [options];` as a directive: at the start
	// of a line or after ; { or }, on one line (unix sockets are left alone).
	nginxListen = regexp.MustCompile(`(?m)((?:^|[;{}])[ \t]*)listen[ \t]+([^\s;]+)([^;\n]*);`)
	// Apache `Listen [addr:]port [protocol]`.
	apacheListen = regexp.MustCompile(`(?mi)^([ \t]*)Listen[ \t]+(\S+)([^\n]*)$`)
	// Apache `<VirtualHost addr[:port] ...>`.
	apacheVhost = regexp.MustCompile(`(?i)(<VirtualHost\s+)([^>]+)>`)
	// The http block of nginx's main config, where the log and temp paths
	// are pinned into the render dir.
	nginxHTTP = regexp.MustCompile(`(?m)^(\s*http\s*\{)`)
)

// sysrootDirs are top-level directories that make a tree a copy of /. An
// absolute path under one of them is rendered into the temp dir when the
// tree has its first two components (/etc/apache2/..., /var/www/...):
// /etc/mime.types stays the system's in a tree that has only etc/apache2/.
var sysrootDirs = []string{"etc", "var", "srv", "usr", "opt", "home"}

// systemPaths stay absolute even in a sysroot tree: server modules.
var systemPaths = []string{"/usr/lib/apache2/modules/", "/usr/lib/nginx/modules/"}

// portOf returns the port of a listen address: `8080`, `*:80`,
// `127.0.0.1:8080`, `[::]:80`; an address without a port means 80. ok is
// false for unix sockets.
func portOf(addr string) (int, bool) {
	if strings.HasPrefix(addr, "unix:") {
		return 0, false
	}
	if i := strings.LastIndex(addr, ":"); i >= 0 && !strings.HasSuffix(addr, "]") {
		addr = addr[i+1:]
	} else if n, err := strconv.Atoi(addr); err == nil {
		return n, true
	} else {
		return 80, true
	}
	n, err := strconv.Atoi(addr)
	return n, err == nil
}

// rewriteUpstreams points the probe's extra upstream addresses at the
// back ends. A match must end at a word boundary: 127.0.0.1:9 is not
// 127.0.0.1:9000.
func rewriteUpstreams(text string, ups map[string]string, b *backends) string {
	for addr, kind := range ups {
		to := b.httpAddr
		switch {
		case strings.HasPrefix(addr, "/"):
			to = b.fcgiUnix
		case kind == "fastcgi":
			to = b.fcgiAddr
		}
		re := regexp.MustCompile(regexp.QuoteMeta(addr) + `\b`)
		text = re.ReplaceAllLiteralString(text, to)
	}
	return text
}

// rewritePorts maps every listen port in a config text through ports and
// binds it to 127.0.0.1. With ports nil it only collects the ports.
func rewritePorts(text, server string, ports map[int]int, found map[int]bool) string {
	mapped := func(p int) int {
		found[p] = true
		if q, ok := ports[p]; ok {
			return q
		}
		return p
	}
	if server == "nginx" {
		return nginxListen.ReplaceAllStringFunc(text, func(m string) string {
			s := nginxListen.FindStringSubmatch(m)
			p, ok := portOf(s[2])
			if !ok {
				return m
			}
			return fmt.Sprintf("%slisten 127.0.0.1:%d%s;", s[1], mapped(p), s[3])
		})
	}
	text = apacheListen.ReplaceAllStringFunc(text, func(m string) string {
		s := apacheListen.FindStringSubmatch(m)
		p, ok := portOf(s[2])
		if !ok {
			return m
		}
		return fmt.Sprintf("%sListen 127.0.0.1:%d%s", s[1], mapped(p), s[3])
	})
	return apacheVhost.ReplaceAllStringFunc(text, func(m string) string {
		s := apacheVhost.FindStringSubmatch(m)
		addrs := strings.Fields(s[2])
		for i, a := range addrs {
			j := strings.LastIndex(a, ":")
			if j < 0 || strings.HasSuffix(a, "]") {
				continue
			}
			if p, err := strconv.Atoi(a[j+1:]); err == nil {
				addrs[i] = fmt.Sprintf("%s:%d", a[:j], mapped(p))
			}
		}
		return s[1] + strings.Join(addrs, " ") + ">"
	})
}

// sysrootPath matches an absolute path that starts at a word boundary.
var sysrootPath = regexp.MustCompile(`(^|[\s"'=(,])(/[A-Za-z0-9_.-]+(?:/[^\s"'<>),;]*)?)`)

// rewriteSysroot prefixes absolute paths under the tree's sysroot dirs with
// dst, so /etc/apache2/htpasswd becomes <dst>/etc/apache2/htpasswd. tops
// are the tree's two-component prefixes ("etc/apache2", "var/www"). It
// returns the new text and the rewritten paths.
func rewriteSysroot(text string, tops []string, dst string) (out string, paths []string) {
	out = sysrootPath.ReplaceAllStringFunc(text, func(m string) string {
		s := sysrootPath.FindStringSubmatch(m)
		p := s[2]
		parts := strings.SplitN(p[1:], "/", 3)
		if len(parts) < 2 || !slices.Contains(tops, parts[0]+"/"+parts[1]) ||
			slices.ContainsFunc(systemPaths, func(sp string) bool { return strings.HasPrefix(p, sp) }) {
			return m
		}
		np := filepath.Join(dst, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			np += "/" // ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/ needs both slashes
		}
		paths = append(paths, np)
		return s[1] + np
	})
	return out, paths
}

// treeTops lists the two-component prefixes under the sysroot dirs that a
// fixture tree has: etc/apache2, var/www.
func treeTops(src string) []string {
	var tops []string
	for _, d := range sysrootDirs {
		entries, err := os.ReadDir(filepath.Join(src, d))
		if err != nil {
			continue
		}
		for _, e := range entries {
			tops = append(tops, d+"/"+e.Name())
		}
	}
	return tops
}

// fixturePorts returns the ports a tree listens on, lowest first.
func fixturePorts(src, server string) ([]int, error) {
	found := map[int]bool{}
	err := walkText(src, func(_ string, text []byte, _ fs.FileMode) error {
		rewritePorts(string(text), server, nil, found)
		return nil
	})
	ports := make([]int, 0, len(found))
	for p := range found {
		ports = append(ports, p)
	}
	slices.Sort(ports)
	return ports, err
}

// walkText calls fn for every file of a tree except the fixture's own
// bookkeeping (expected, probe.yaml, .authlint.yaml), with its path
// relative to the tree.
func walkText(src string, fn func(rel string, data []byte, mode fs.FileMode) error) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel == "expected" || rel == ProbeFile || rel == config.FileName {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return fn(rel, data, info.Mode())
	})
}

// render copies a fixture tree to dst with the substitutions of the
// package doc: listen ports through ports, bound to 127.0.0.1; the fixture
// upstreams to the back ends; sysroot paths into dst; and for nginx the log
// and temp paths pinned into dst; the CGI back end where the probe says.
// Files and dirs are world-readable, since
// the servers' workers run as an unprivileged user when the test is root.
func render(src, dst string, p *probeFile, ports map[int]int, b *backends) error {
	tops := treeTops(src)
	var made []string
	err := walkText(src, func(rel string, data []byte, mode fs.FileMode) error {
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		if !bytes.Contains(data, []byte{0}) {
			text := string(data)
			text = strings.ReplaceAll(text, fixtureHTTPUpstream, b.httpAddr)
			text = strings.ReplaceAll(text, fixtureFCGIUpstream, b.fcgiAddr)
			text = rewriteUpstreams(text, p.Upstreams, b)
			text = rewritePorts(text, p.Server, ports, map[int]bool{})
			var paths []string
			text, paths = rewriteSysroot(text, tops, dst)
			made = append(made, paths...)
			text = pinWrites(text, p.Server, dst)
			if p.Server == "nginx" && filepath.Clean(rel) == filepath.Clean(p.Config) {
				if !nginxHTTP.MatchString(text) {
					return fmt.Errorf("%s: no http block to pin log and temp paths in", rel)
				}
				text = nginxHTTP.ReplaceAllLiteralString(text, "http { "+nginxPins(dst))
			}
			data = []byte(text)
		}
		perm := fs.FileMode(0o644)
		if mode&0o111 != 0 {
			perm = 0o755
		}
		return os.WriteFile(out, data, perm)
	})
	if err != nil {
		return err
	}
	if err := installCGI(dst, p.CGI); err != nil {
		return err
	}
	// Directories that rewritten paths point into (log dirs, say) exist,
	// so that a server fails only for the reason the fixture is about.
	for _, m := range append(made, filepath.Join(dst, "log", "x")) {
		if err := os.MkdirAll(filepath.Dir(m), 0o755); err != nil {
			return err
		}
	}
	return os.Chmod(dst, 0o755)
}

// nginxPins are the http-level directives that keep nginx's access log and
// temp files in dst; Debian's build defaults are under /var. They go on the
// line of `http {`, so line numbers in the rendered copy stay the same.
func nginxPins(dst string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "access_log %s; ", filepath.Join(dst, "access.log"))
	for _, k := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, "%s_temp_path %s; ", k, filepath.Join(dst, "temp", k))
	}
	return b.String()
}
