/* identity.c - the acting user comes from the real uid, not the environment. */
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leadboard/identity.h"
#include "leadboard/privilege.h"

enum lb_status identity_real_login(char *out, size_t size)
{
	uid_t uid = getuid();
	struct passwd *pw = getpwuid(uid);

	if (!pw || !pw->pw_name || !pw->pw_name[0])
		return lb_fail(LB_NOPERM, "cannot tell who you are: uid %u has no login",
			       (unsigned)uid);
	if ((size_t)snprintf(out, size, "%s", pw->pw_name) >= size)
		return lb_fail(LB_NOPERM, "login name of uid %u is too long", (unsigned)uid);
	return LB_OK;
}

bool identity_may_impersonate(const struct stat *opened)
{
	uid_t uid = getuid();

	if (uid == 0)
		return true;
	if (privilege_elevated())
		return false;
	return opened && opened->st_uid == uid;
}
