#!/usr/bin/env bash
# The version of a build, from git, in the forms the packages want.
#
#   packaging/version.sh git   the git version: `git describe --tags --always --dirty`, else "dev"
#   packaging/version.sh deb   a Debian version, which must start with a digit and sort upgrades right
#   packaging/version.sh win   four numbers for the Windows version resource (each 0..65535)
#
# VERSION in the environment overrides `git describe` (the Makefile passes its own).
#
#   git describe                 deb                          win
#   v1.2.3                       1.2.3                        1.2.3.0
#   v1.2.3-4-gabc1234            1.2.3+4.gabc1234             1.2.3.4
#   v1.2.3-4-gabc1234-dirty      1.2.3+4.gabc1234.dirty       1.2.3.4
#   v1.3.0-rc1                   1.3.0~rc1 (sorts before 1.3.0)  1.3.0.0
#   abc1234 (no tag)             0.0.0+57.gabc1234            0.0.0.57
#
# Without a tag the Debian version carries the number of commits, so that a later commit
# upgrades an earlier one (a hash alone does not sort); the hash still names the commit.
set -euo pipefail

form="${1:-git}"
v="${VERSION:-}"
if [ -z "$v" ]; then
	v="$(git describe --tags --always --dirty 2>/dev/null || echo dev)"
fi

dirty=""
case "$v" in *-dirty) dirty=1; v="${v%-dirty}" ;; esac

tag="" count="" hash=""
if [[ "$v" =~ ^(.*)-([0-9]+)-g([0-9a-f]+)$ ]]; then # a tag, commits since, hash
	tag="${BASH_REMATCH[1]}" count="${BASH_REMATCH[2]}" hash="${BASH_REMATCH[3]}"
elif [[ "$v" =~ ^[0-9a-f]{4,40}$ ]]; then # no tag: an abbreviated commit
	hash="$v"
	count="$(git rev-list --count HEAD 2>/dev/null || true)"
elif [[ "$v" =~ ^(v[0-9]|[0-9]+\.[0-9]) ]]; then # exactly on a tag
	tag="$v"
fi
tag="${tag#v}"

case "$form" in
git)
	echo "${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
	;;
deb)
	if [ -n "$tag" ] && [[ "$tag" =~ ^[0-9] ]]; then
		up="${tag//-/\~}" # v1.3.0-rc1: a pre-release sorts before the release
	else
		up="0.0.0"
	fi
	extra=()
	[ -n "$count" ] && extra+=("$count")
	[ -n "$hash" ] && extra+=("g$hash")
	[ -n "$dirty" ] && extra+=("dirty")
	[ -z "$tag$hash" ] && extra+=("$(echo "$v" | tr -c 'A-Za-z0-9.\n' '.')") # "dev" and such
	if [ "${#extra[@]}" -gt 0 ]; then
		(IFS=.; echo "$up+${extra[*]}")
	else
		echo "$up"
	fi
	;;
win)
	nums=(0 0 0)
	if [ -n "$tag" ] && [[ "$tag" =~ ^([0-9]+)(\.([0-9]+))?(\.([0-9]+))? ]]; then
		nums=("${BASH_REMATCH[1]}" "${BASH_REMATCH[3]:-0}" "${BASH_REMATCH[5]:-0}")
	fi
	echo "$((nums[0] % 65536)).$((nums[1] % 65536)).$((nums[2] % 65536)).$((${count:-0} % 65536))"
	;;
*)
	echo "usage: $0 git|deb|win" >&2
	exit 2
	;;
esac
