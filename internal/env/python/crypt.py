"""crypt: one-way password hashing through the system's crypt(3).

Python 3.13 removed this module from the standard library; upstream's Python 3.12 images have it, and
passlib (an allowed package) hashes bcrypt, sha256_crypt and friends through it when no other backend is
installed. This is the same interface over libcrypt (libxcrypt), which the image already has.
Installed by baxbench into the environment's virtualenv (DEV-E10).
"""

import ctypes as _ctypes
import ctypes.util as _util
import errno as _errno
import string as _string
from collections import namedtuple as _namedtuple
from random import SystemRandom as _SystemRandom

__all__ = ["crypt", "mksalt", "methods", "METHOD_CRYPT", "METHOD_MD5", "METHOD_SHA256", "METHOD_SHA512", "METHOD_BLOWFISH"]

_lib = _ctypes.CDLL(_util.find_library("crypt") or "libcrypt.so.1", use_errno=True)
_lib.crypt.restype = _ctypes.c_char_p
_lib.crypt.argtypes = [_ctypes.c_char_p, _ctypes.c_char_p]

_saltchars = _string.ascii_letters + _string.digits + "./"
_rand = _SystemRandom()


class _Method(_namedtuple("_Method", "name ident salt_chars total_size")):
    def __repr__(self):
        return "<crypt.METHOD_{}>".format(self.name)


def mksalt(method=None, *, rounds=None):
    """A salt for the method (the strongest available by default)."""
    if method is None:
        method = methods[0]
    if rounds is not None and not isinstance(rounds, int):
        raise TypeError(f"{rounds.__class__.__name__} object cannot be interpreted as an integer")
    if not method.ident:
        s = ""
    else:
        s = f"${method.ident}$"
    if method.ident and method.ident[0] == "2":  # bcrypt: rounds as a power of two
        if rounds is None:
            log_rounds = 12
        else:
            log_rounds = int.bit_length(rounds - 1)
            if rounds != 1 << log_rounds:
                raise ValueError("rounds must be a power of 2")
            if not 4 <= log_rounds <= 31:
                raise ValueError("rounds out of the range 2**4 to 2**31")
        s += f"{log_rounds:02d}$"
    elif method.ident in ("5", "6"):
        if rounds is not None:
            if not 1000 <= rounds <= 999_999_999:
                raise ValueError("rounds out of the range 1000 to 999_999_999")
            s += f"rounds={rounds}$"
    elif rounds is not None:
        raise ValueError(f"{method} does not support rounds")
    s += "".join(_rand.choice(_saltchars) for _ in range(method.salt_chars))
    return s


def crypt(word, salt=None):
    """Hash word with salt (a salt string or a method; the strongest method by default)."""
    if salt is None or isinstance(salt, _Method):
        salt = mksalt(salt)
    # Bytes are taken as they are (passlib probes for that, as PyPy's crypt accepts them).
    w = word if isinstance(word, bytes) else word.encode("utf-8")
    st = salt if isinstance(salt, bytes) else salt.encode("utf-8")
    if b"\0" in w or b"\0" in st:
        raise ValueError("embedded null character")
    out = _lib.crypt(w, st)
    if out is None:
        e = _ctypes.get_errno()
        if e in (_errno.EINVAL, _errno.ENOSYS, 0):
            return None
        raise OSError(e, "crypt failed")
    result = out.decode("utf-8", "replace")
    if result.startswith("*"):  # libxcrypt's failure token for an unsupported salt
        return None
    return result


METHOD_CRYPT = _Method("CRYPT", None, 2, 13)
METHOD_MD5 = _Method("MD5", "1", 8, 34)
METHOD_SHA256 = _Method("SHA256", "5", 16, 63)
METHOD_SHA512 = _Method("SHA512", "6", 16, 106)
METHOD_BLOWFISH = _Method("BLOWFISH", "2b", 22, 60)

methods = []
for _m in (METHOD_SHA512, METHOD_SHA256, METHOD_BLOWFISH, METHOD_MD5, METHOD_CRYPT):
    # A method is available when libcrypt hashes with it (bcrypt at its cheapest cost, to be quick).
    _h = crypt("", mksalt(_m, rounds=16) if _m.ident == "2b" else _m)
    if _h and (_m.ident is None or _h.startswith(f"${_m.ident}$")):
        methods.append(_m)
del _m, _h
