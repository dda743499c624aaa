package debian

import "strings"

// field identifies a deb822 field the parser keeps. Field names are
// case-insensitive; unknown fields are ignored.
type field uint8

const (
	fUnknown field = iota
	fPackage
	fSource
	fVersion
	fArchitecture
	fMaintainer
	fUploaders
	fHomepage
	fVcsGit
	fVcsBrowser
	fVcsSvn
	fVcsBzr
	fVcsHg
	fVcsCvs
	fVcsDarcs
	fVcsArch
	fVcsMtn
	fSection
	fPriority
	fDescription
	fInstalledSize
	fSize
	fFilename
	fDirectory
	fSHA256
	fMultiArch
	fEssential
	fTag
	fBinary
	fDepends
	fPreDepends
	fRecommends
	fSuggests
	fEnhances
	fProvides
	fConflicts
	fBreaks
	fReplaces
	fBuildDepends
	fBuildDependsIndep
	numFields
)

var fieldNames = [numFields]string{
	fPackage: "Package", fSource: "Source", fVersion: "Version", fArchitecture: "Architecture",
	fMaintainer: "Maintainer", fUploaders: "Uploaders", fHomepage: "Homepage",
	fVcsGit: "Vcs-Git", fVcsBrowser: "Vcs-Browser", fVcsSvn: "Vcs-Svn", fVcsBzr: "Vcs-Bzr",
	fVcsHg: "Vcs-Hg", fVcsCvs: "Vcs-Cvs", fVcsDarcs: "Vcs-Darcs", fVcsArch: "Vcs-Arch", fVcsMtn: "Vcs-Mtn",
	fSection: "Section", fPriority: "Priority", fDescription: "Description",
	fInstalledSize: "Installed-Size", fSize: "Size", fFilename: "Filename", fDirectory: "Directory",
	fSHA256: "SHA256", fMultiArch: "Multi-Arch", fEssential: "Essential", fTag: "Tag", fBinary: "Binary",
	fDepends: "Depends", fPreDepends: "Pre-Depends", fRecommends: "Recommends", fSuggests: "Suggests",
	fEnhances: "Enhances", fProvides: "Provides", fConflicts: "Conflicts", fBreaks: "Breaks",
	fReplaces: "Replaces", fBuildDepends: "Build-Depends", fBuildDependsIndep: "Build-Depends-Indep",
}

// fieldsByLower maps lower-cased names, for indexes that spell them otherwise.
var fieldsByLower = func() map[string]field {
	m := make(map[string]field, numFields)
	for f := fPackage; f < numFields; f++ {
		m[strings.ToLower(fieldNames[f])] = f
	}
	return m
}()

// lookupField returns the field a name denotes. The usual spelling is found
// by a switch (compiled to a search on length and bytes, no hashing); other
// spellings through a lower-cased map.
func lookupField(b []byte) field {
	switch string(b) {
	case "Package":
		return fPackage
	case "Source":
		return fSource
	case "Version":
		return fVersion
	case "Architecture":
		return fArchitecture
	case "Maintainer":
		return fMaintainer
	case "Uploaders":
		return fUploaders
	case "Homepage":
		return fHomepage
	case "Vcs-Git":
		return fVcsGit
	case "Vcs-Browser":
		return fVcsBrowser
	case "Vcs-Svn":
		return fVcsSvn
	case "Vcs-Bzr":
		return fVcsBzr
	case "Vcs-Hg":
		return fVcsHg
	case "Vcs-Cvs":
		return fVcsCvs
	case "Vcs-Darcs":
		return fVcsDarcs
	case "Vcs-Arch":
		return fVcsArch
	case "Vcs-Mtn":
		return fVcsMtn
	case "Section":
		return fSection
	case "Priority":
		return fPriority
	case "Description":
		return fDescription
	case "Installed-Size":
		return fInstalledSize
	case "Size":
		return fSize
	case "Filename":
		return fFilename
	case "Directory":
		return fDirectory
	case "SHA256":
		return fSHA256
	case "Multi-Arch":
		return fMultiArch
	case "Essential":
		return fEssential
	case "Tag":
		return fTag
	case "Binary":
		return fBinary
	case "Depends":
		return fDepends
	case "Pre-Depends":
		return fPreDepends
	case "Recommends":
		return fRecommends
	case "Suggests":
		return fSuggests
	case "Enhances":
		return fEnhances
	case "Provides":
		return fProvides
	case "Conflicts":
		return fConflicts
	case "Breaks":
		return fBreaks
	case "Replaces":
		return fReplaces
	case "Build-Depends":
		return fBuildDepends
	case "Build-Depends-Indep":
		return fBuildDependsIndep
	}
	var low [32]byte
	if len(b) > len(low) {
		return fUnknown
	}
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	return fieldsByLower[string(low[:len(b)])]
}

// vcsKind names the link kind of a Vcs-* field.
func vcsKind(f field) string {
	return "vcs-" + strings.ToLower(strings.TrimPrefix(fieldNames[f], "Vcs-"))
}
