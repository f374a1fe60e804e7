package assets

import _ "embed"

// IllinoisDirectory is the 2017 SAMHSA National Directory's Illinois
// listings (US government work; see ../shared/data/README.md), shipped so
// that the demo program has a real directory to match against.
//
//go:embed directory/samhsa-directory-2017-illinois.csv
var IllinoisDirectory []byte

// IllinoisDirectoryName is the file name the directory is read under.
const IllinoisDirectoryName = "samhsa-directory-2017-illinois.csv"
