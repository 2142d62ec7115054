#!/bin/sh
# check-statedir.sh STATEDIR GROUP - run by `make install-shared` (as root)
# before it builds or changes anything: refuse, with one line saying why,
# a STATEDIR someone other than root could have prepared or could swap.
#
# - STATEDIR, and no folder on the way to it, is a symbolic link (the
#   install would chown the link's target; the binary refuses such a path).
# - Every folder above it is root's and not writable by others unless
#   sticky (/tmp): whoever can write there can rename STATEDIR away.
# - STATEDIR, when it exists, is a folder of root's, not writable by others.
# - leadboard.db and its -lock there are root's, of GROUP; its -wal and -shm
#   are of GROUP (SQLite makes them as the member whose session is open, in
#   the group; only the binary, holding the group, can have made them).
# - leadboard.conf (a team host on PostgreSQL: the connection string and its
#   password) is root's, of GROUP: one someone else made could be read by
#   them, or could point the hosts at a server of theirs.
set -u
dir=${1%/}
group=$2
say() { echo "leadboard: install-shared: $*" >&2; exit 1; }

case $dir in /*) ;; *) say "STATEDIR must be an absolute path" ;; esac
[ "$(readlink -m -- "$dir")" = "$dir" ] ||
	say "STATEDIR $dir is, or is reached through, a symbolic link or '..'; name the real folder ($(readlink -m -- "$dir"))"

# stat_of PATH: "uid mode-in-octal"
stat_of() { stat -c '%u %a' -- "$1"; }

up=$(dirname -- "$dir")
while :; do
	if [ -e "$up" ]; then
		set -- $(stat_of "$up")
		[ "$1" = 0 ] || say "$up, above STATEDIR, belongs to $(stat -c %U -- "$up"), not root: they could swap STATEDIR"
		mode=$(printf '%d' "0$2")
		if [ $((mode & 0022)) -ne 0 ] && [ $((mode & 01000)) -eq 0 ]; then
			say "$up, above STATEDIR, is writable by others (mode $2): they could swap STATEDIR"
		fi
	fi
	[ "$up" = / ] && break
	up=$(dirname -- "$up")
done

if [ -e "$dir" ] || [ -L "$dir" ]; then
	[ -d "$dir" ] || say "STATEDIR $dir exists and is not a folder"
	set -- $(stat_of "$dir")
	[ "$1" = 0 ] ||
		say "STATEDIR $dir exists and belongs to $(stat -c %U -- "$dir"), not root; remove it (it may hold a board of theirs) or choose another STATEDIR"
	mode=$(printf '%d' "0$2")
	[ $((mode & 0002)) -eq 0 ] || say "STATEDIR $dir is writable by anyone (mode $2); remove it or choose another STATEDIR"
fi

for f in leadboard.db leadboard.db-lock leadboard.db-wal leadboard.db-shm leadboard.conf; do
	p=$dir/$f
	[ -e "$p" ] || [ -L "$p" ] || continue
	[ ! -L "$p" ] && [ -f "$p" ] || say "$p is not a regular file; remove it"
	owner=$(stat -c %U -- "$p") owner_id=$(stat -c %u -- "$p") file_group=$(stat -c %G -- "$p")
	[ "$file_group" = "$group" ] ||
		say "$p belongs to $owner:$file_group, not root:$group; check it, then remove it or chown it"
	case $f in *-wal|*-shm) continue ;; esac
	[ "$owner_id" = 0 ] ||
		say "$p belongs to $owner:$file_group, not root:$group; check it, then remove it or chown it"
done
exit 0
