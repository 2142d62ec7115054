#!/bin/sh
# make install honours PREFIX and DESTDIR, and the installed binary needs no
# data files: the schema is compiled in.
. "$(dirname "$0")/lib.sh"

root=$(cd "$(dirname "$0")/.." && pwd)
case $LB in
	"$root/leadboard") build=build ;;
	*) build=$(dirname "$LB") ;;
esac
dest="$T_DIR/dest"
run make -s -C "$root" install BUILD="$build" DESTDIR="$dest" PREFIX=/opt/lb
expect_eq "make install succeeds" "$RC" 0
expect_eq "the binary lands under DESTDIR/PREFIX/bin" "$(ls "$dest/opt/lb/bin")" leadboard
expect_eq "the man page under DESTDIR/PREFIX/share/man/man1" "$(ls "$dest/opt/lb/share/man/man1")" leadboard.1
expect_eq "nothing else is installed" "$(cd "$dest" && find . -type f | sort | tr '\n' ' ')" \
	"./opt/lb/bin/leadboard ./opt/lb/share/man/man1/leadboard.1 "

# Run it from elsewhere, with no source tree in sight.
cp "$dest/opt/lb/bin/leadboard" "$T_DIR/alone"
cd "$T_DIR" || exit 1
run env -i HOME="$T_DIR/home" PATH=/usr/bin:/bin "$T_DIR/alone" init
expect_eq "the installed binary creates a database on its own" "$RC" 0
expect_eq "in \$HOME/.local/share/leadboard by default" \
	"$(ls "$T_DIR/home/.local/share/leadboard/" | grep -x leadboard.db)" leadboard.db
run env -i HOME="$T_DIR/home" XDG_DATA_HOME="$T_DIR/xdg" PATH=/usr/bin:/bin "$T_DIR/alone" init
expect_eq "or in \$XDG_DATA_HOME/leadboard" "$(ls "$T_DIR/xdg/leadboard/" | grep -x leadboard.db)" leadboard.db
run env -i HOME="$T_DIR/home" PATH=/usr/bin:/bin "$T_DIR/alone" stages
expect_eq "with the stages from the compiled-in schema" "$(printf '%s\n' "$OUT" | awk '{print $1}' | tr '\n' ' ')" \
	"lead mql sql opportunity customer "

run make -s -C "$root" uninstall DESTDIR="$dest" PREFIX=/opt/lb
expect_eq "make uninstall removes both" "$(cd "$dest" && find . -type f | wc -l)" 0
done_testing
