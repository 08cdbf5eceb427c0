// Package content holds the labs that ship inside the opslab binary, one
// folder per lab. See README.md for how to write one.
package content

import "embed"

// FS holds every lab folder. The all: prefix keeps dotfiles such as
// workspace/.github/ and workspace/.gitignore, which labs need. The files
// of this package are embedded too; the catalog ignores them (a lab is a
// folder with a lab.yaml).
//
//go:embed all:*
var FS embed.FS

// Source names the embedded labs in messages.
const Source = "content"
