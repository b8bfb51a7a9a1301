// Package config reads .authlint.yaml: which files to skip, rule severities,
// path mappings and the fail threshold. Unknown keys and wrong types are
// errors with the line they are on, so a typo never silently does nothing.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/authlint/authlint/internal/paths"
	"github.com/authlint/authlint/rules"
)

// FileName is the name looked for when no --config is given.
const FileName = ".authlint.yaml"

// Policy is the policy section; the rules that read it own its type.
type Policy = rules.Policy

// File is the decoded .authlint.yaml.
type File struct {
	Exclude []string          `yaml:"exclude"`
	Rules   map[string]string `yaml:"rules"` // id -> off|error|warning|info
	Roots   map[string]string `yaml:"roots"` // /abs/prefix -> dir (relative to the config file)
	Docroot string            `yaml:"docroot"`
	FailOn  string            `yaml:"fail-on"`
	Policy  *Policy           `yaml:"policy"`

	// Path is where the file was read from; relative dirs in Roots and
	// Docroot are taken from its directory.
	Path string `yaml:"-"`
}

// Load reads and validates a config file.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the user names the config file
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a config file strictly (unknown keys are errors).
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) { // io.EOF: empty file
		return nil, fmt.Errorf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := f.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

func (f *File) validate() error {
	for id, v := range f.Rules {
		if _, ok := rules.Lookup(id); !ok {
			return fmt.Errorf("rules: unknown rule id %q (see `authlint rules`)", id)
		}
		if v != "off" {
			if _, err := rules.ParseSeverity(v); err != nil {
				return fmt.Errorf("rules: %s: %w", id, err)
			}
		}
	}
	if f.FailOn != "" {
		if _, err := rules.ParseSeverity(f.FailOn); err != nil {
			return fmt.Errorf("fail-on: %w", err)
		}
	}
	for prefix := range f.Roots {
		if !strings.HasPrefix(prefix, "/") {
			return fmt.Errorf("roots: %q is not an absolute path", prefix)
		}
	}
	return validatePolicy(f.Policy, "policy")
}

func validatePolicy(p *Policy, where string) error {
	if p == nil {
		return nil
	}
	for _, g := range append(append([]string(nil), p.Public...), p.Protected...) {
		if !strings.HasPrefix(g, "/") || !doublestar.ValidatePattern(g) {
			return fmt.Errorf("%s: %q is not a URL-path glob (it must start with / and be a valid doublestar pattern)", where, g)
		}
	}
	for name, sp := range p.Servers {
		if sp != nil && len(sp.Servers) > 0 {
			return fmt.Errorf("%s.servers.%s: servers cannot nest", where, name)
		}
		if err := validatePolicy(sp, where+".servers."+name); err != nil {
			return err
		}
	}
	return nil
}

// Mappings returns the roots as path mappings, directories taken relative
// to the config file.
func (f *File) Mappings() []paths.Mapping {
	var out []paths.Mapping
	for prefix, dir := range f.Roots {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(f.Path), dir)
		}
		out = append(out, paths.Mapping{Prefix: filepath.Clean(prefix), Dir: filepath.Clean(dir)})
	}
	return out
}

// DocRootDir returns docroot taken relative to the config file, or "".
func (f *File) DocRootDir() string {
	if f.Docroot == "" || filepath.IsAbs(f.Docroot) {
		return f.Docroot
	}
	return filepath.Join(filepath.Dir(f.Path), f.Docroot)
}

// Find looks for .authlint.yaml in dir and its parents, stopping at the
// repository root (a directory holding .git) or the filesystem root.
// It returns "" when there is none.
func Find(dir string) string {
	for {
		candidate := filepath.Join(dir, FileName)
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
