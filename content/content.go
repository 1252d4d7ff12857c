// Package content embeds the published content so the binary runs from any
// folder: category folders (category.md, one file per subject, hand-written
// comparisons) and self-contained articles. See README.md in this folder
// for the authoring format.
package content

import "embed"

// FS holds every article (*.md) of this folder and of its category folders;
// README.md is the authoring guide and is skipped by the catalog.
//
//go:embed *.md */*.md
var FS embed.FS
