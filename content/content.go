// Package content embeds the published articles so the binary runs from any
// folder. See README.md in this folder for the authoring format.
package content

import "embed"

// FS holds every article (*.md) of this folder; README.md is the authoring
// guide and is skipped by the catalog.
//
//go:embed *.md
var FS embed.FS
