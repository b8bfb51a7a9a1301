package apache

import "github.com/authlint/authlint/parser/ast"

// AccessFileNames returns the AccessFileName values in effect for the main
// server of a loaded config: the last AccessFileName outside any
// <VirtualHost> wins (conditional sections are not evaluated, so one inside
// <IfModule> counts). The default is [".htaccess"].
func AccessFileNames(cfg *ast.Config) []string {
	names := []string{".htaccess"}
	if cfg == nil {
		return names
	}
	ast.Walk(cfg.Nodes, func(n *ast.Node) bool {
		if n.Block {
			return !n.Is("VirtualHost")
		}
		if n.Is("AccessFileName") && len(n.Args) > 0 {
			names = n.Values()
		}
		return false
	})
	return names
}

// ServerRoot returns the ServerRoot the loader used for cfg, as a readable
// directory: the last ServerRoot directive resolved through the Resolver,
// else the directory of the entry file (its parent for the conventional
// subdirectories: /etc/httpd/conf -> /etc/httpd, sites-enabled/.. and so
// on). Relative AuthUserFile and friends resolve against it. For a config
// that Load did not build it returns "".
func ServerRoot(cfg *ast.Config) string {
	if cfg == nil {
		return ""
	}
	return cfg.Root
}
