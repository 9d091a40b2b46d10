"""Who is at the keyboard, as the operating system knows it.

Every audit event records the computer account beside the person acting, and a person bound to
accounts can act only from them. So the account must come from the process's real user id and
the password database, never from LOGNAME, USER or USERNAME: anyone can set those
(`LOGNAME=mlro duediligence approve ...`), which is what `getpass.getuser()` reads first.
"""

from __future__ import annotations

import os


def computer_account() -> str:
    """The login name of the process's real user id ("uid N" when it has no passwd entry)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # not POSIX: no user id to trust; the login session's name is the best
        try:
            return os.getlogin()
        except OSError:
            return "unknown"
    import pwd

    uid = getuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a container user with no passwd entry
        return f"uid {uid}"
