// Package notebooklint holds the tests that keep the lessons reading like a
// course (no test machinery in what a student reads, no copied helpers, one
// idea per cell, the course's exercises mapped in notebooks/README.md) and
// notebooks/imports.go equal to what the notebooks import. They live here, not
// in notebooks/, so that a student's file browser there shows lessons only.
package notebooklint
