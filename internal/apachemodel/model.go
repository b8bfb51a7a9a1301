// Package apachemodel answers questions about what Apache httpd 2.4 does
// with a request, given the configs of one run: which sections merge for a
// URL (Directory and .htaccess, DirectoryMatch, Files, Location, If), which
// Require set is in effect for a method, whether a user is needed, whether
// CORS headers are sent, which AllowOverride governs a directory. It is the
// Apache counterpart of nginxmodel and, like it, knows nothing of rules.
package apachemodel

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/parser/apache"
	"github.com/authlint/authlint/parser/ast"
)

// Options says what the run knows beyond the configs.
type Options struct {
	// Resolver maps the absolute paths a config names (DocumentRoot,
	// <Directory>) to the files of the run. Without a Sysroot in it (or
	// without it) the sysroot is derived from the place of the main
	// configs (a tree holding etc/apache2, var/www...); failing that,
	// every path is itself.
	Resolver *paths.Resolver
	// DocRoot stands for DocumentRoot in a run with .htaccess files only
	// (the scanned root); "" lets the model guess from conventional
	// directory names (var/www/html, public_html, htdocs).
	DocRoot string
}

// Model is every Apache server of a run and the .htaccess files it reads.
type Model struct {
	// Servers are the servers that answer requests: every <VirtualHost>,
	// and the main server of a config that has none.
	Servers []*Server
	// Mains are the main servers, one per main config.
	Mains []*Server
	// Htaccess are the access files of the run.
	Htaccess []*Htaccess
	// HasServerConfig is false in a run of .htaccess files only: then the
	// AllowOverride in effect is unknown.
	HasServerConfig bool
	// NginxOnly: the run has nginx configs and no Apache config, so its
	// access files are not read by any server (nginx ignores them); no
	// server stands for them.
	NginxOnly bool

	res    *paths.Resolver
	byReal map[string]*Htaccess
	real   map[string]string // Real's answers: every merge asks for every directory level
	// configDirs caches ConfigDir: every server's SampleURLs asks for
	// every access file, and each answer scans every server.
	configDirs map[*Htaccess]string
}

// Htaccess is one access file.
type Htaccess struct {
	Config *ast.Config
	Path   string // the file as read
	// RealDir is its directory, absolute and with symlinks resolved.
	RealDir string
	// Nodes are its directives with conditionals resolved.
	Nodes []*ast.Node
}

// Build models the configs of a run. It never panics.
func Build(configs []*ast.Config, opts Options) (m *Model) {
	m = &Model{byReal: map[string]*Htaccess{}, real: map[string]string{}}
	defer func() {
		if r := recover(); r != nil {
			m = &Model{byReal: map[string]*Htaccess{}, real: map[string]string{}, res: &paths.Resolver{}}
		}
	}()
	var mains []*ast.Config
	for _, c := range configs {
		switch c.Kind {
		case ast.KindApache:
			mains = append(mains, c)
		case ast.KindHtaccess:
			h := &Htaccess{Config: c, Path: c.Entry, RealDir: realPath(filepath.Dir(c.Entry))}
			h.Nodes = flatten(c.Nodes, newConds(c))
			m.Htaccess = append(m.Htaccess, h)
			m.byReal[h.RealDir] = h
		case ast.KindNginx:
			m.NginxOnly = true
		}
	}
	m.res = &paths.Resolver{}
	if opts.Resolver != nil {
		r := *opts.Resolver
		m.res = &r
	}
	if m.res.Sysroot == "" {
		for _, c := range mains {
			if sys := findSysroot(c.Entry); sys != "" {
				m.res.Sysroot = sys
				break
			}
		}
	}
	m.HasServerConfig = len(mains) > 0
	m.NginxOnly = m.NginxOnly && !m.HasServerConfig
	for _, c := range mains {
		main := newMain(m, c)
		m.Mains = append(m.Mains, main)
		if len(main.VHosts) == 0 {
			m.Servers = append(m.Servers, main)
		}
		m.Servers = append(m.Servers, main.VHosts...)
	}
	if !m.HasServerConfig && !m.NginxOnly && len(m.Htaccess) > 0 {
		m.Servers = append(m.Servers, m.htaccessOnlyServer(opts.DocRoot))
	}
	return m
}

// findSysroot walks up from a config file to the directory that mirrors a
// filesystem (it holds etc/apache2, var/www...), so that /var/www/html in
// the config is read under the same tree.
func findSysroot(entry string) string {
	abs, err := filepath.Abs(entry)
	if err != nil {
		return ""
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		if paths.DetectSysroot(dir) != "" {
			if dir == string(filepath.Separator) {
				return ""
			}
			return dir
		}
		if dir == filepath.Dir(dir) {
			return ""
		}
	}
}

// realPath makes a path absolute and resolves symlinks where it exists.
func realPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

// Real maps a directory or file named in the config to where the run reads
// it.
func (m *Model) Real(p string) string {
	if p == "" {
		return ""
	}
	if r, ok := m.real[p]; ok {
		return r
	}
	r := realPath(m.res.Resolve(p, "", ""))
	if m.real != nil {
		m.real[p] = r
	}
	return r
}

// HtaccessIn returns the access file of the config directory dir, or nil.
func (m *Model) HtaccessIn(dir string) *Htaccess {
	return m.byReal[m.Real(dir)]
}

// ConfigDir maps an access file back to the directory the config calls
// it by: the DocumentRoot, Alias target or <Directory> path it lies under
// (the longest), else the sysroot-relative path, else its own path.
func (m *Model) ConfigDir(h *Htaccess) string {
	if d, ok := m.configDirs[h]; ok {
		return d
	}
	d := m.configDir(h)
	if m.configDirs == nil {
		m.configDirs = map[*Htaccess]string{}
	}
	m.configDirs[h] = d
	return d
}

func (m *Model) configDir(h *Htaccess) string {
	best, bestReal := "", ""
	for _, s := range m.Servers {
		for _, cand := range s.knownDirs() {
			r := m.Real(cand)
			if within(h.RealDir, r) && len(r) > len(bestReal) {
				best, bestReal = cand, r
			}
		}
	}
	if best != "" {
		rel, _ := filepath.Rel(bestReal, h.RealDir)
		return filepath.Join(best, rel)
	}
	if sys := m.res.Sysroot; sys != "" && within(h.RealDir, realPath(sys)) {
		rel, _ := filepath.Rel(realPath(sys), h.RealDir)
		return string(filepath.Separator) + rel
	}
	return h.RealDir
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// htaccessOnlyServer stands for the unknown server of a run that has only
// .htaccess files: its DocumentRoot is the option, else a guess.
func (m *Model) htaccessOnlyServer(docRoot string) *Server {
	s := &Server{model: m}
	if docRoot != "" {
		s.DocRoot = realPath(docRoot)
	} else {
		s.DocRoot = guessDocRoot(m.Htaccess)
	}
	s.Main = s
	return s
}

// conventionalDocRoots are directory names that are a web root.
var conventionalDocRoots = []string{"public_html", "htdocs", "httpdocs", "wwwroot"}

// guessDocRoot finds a conventional web root above the access files:
// .../var/www/html, or a directory named public_html, htdocs...
func guessDocRoot(hs []*Htaccess) string {
	for _, h := range hs {
		parts := strings.Split(h.RealDir, string(filepath.Separator))
		for i := range parts {
			if i >= 2 && parts[i] == "html" && parts[i-1] == "www" && parts[i-2] == "var" ||
				slices.Contains(conventionalDocRoots, parts[i]) {
				return strings.Join(parts[:i+1], string(filepath.Separator))
			}
		}
	}
	return ""
}

// exists reports whether a config path exists in the run.
func (m *Model) exists(p string) bool {
	_, err := os.Stat(m.Real(p))
	return err == nil
}

// accessFileNames are the names the main configs let httpd read.
func (m *Model) accessFileNames() []string {
	var out []string
	for _, s := range m.Mains {
		out = append(out, apache.AccessFileNames(s.Config)...)
	}
	if len(out) == 0 {
		out = []string{".htaccess"}
	}
	return out
}

// IsRead reports whether httpd reads the file under its name at all
// (AccessFileName).
func (m *Model) IsRead(h *Htaccess) bool {
	return slices.Contains(m.accessFileNames(), filepath.Base(h.Path))
}
