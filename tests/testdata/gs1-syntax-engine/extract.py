#!/usr/bin/env python3
"""Extracts the test vectors of GS1's Barcode Syntax Engine as data.

A maintainer's tool, not run in CI: see README.md in this directory for how to
regenerate the .tsv files and what each column means.

The engine's unit tests are C calls such as
    test_parseAIdata(true, "(01)12345678901231", "^0112345678901231");
This script reads their string literals (it does not run or copy the engine's
code), turns each into the inputs a scanner or a URI would give us, and, when
--engine names a build of the engine's shared library, asks the engine itself
for its verdict on each exact input at its default settings.
"""

import argparse
import ctypes
import os
import re
import subprocess
import sys

SOURCES = ["scandata.c", "ai.c", "dl.c", "gs1encoders-test.c"]

# GS1 General Specifications, figure 7.8.5-2 ("element strings with predefined
# length using AIs"): after these AIs no FNC1 separator is needed. Keyed by the
# first two digits of the AI; the value is the AI plus data length.
PREDEFINED_LENGTH = {
    "00": 20, "01": 16, "02": 16, "03": 16, "04": 18, "11": 8, "12": 8,
    "13": 8, "14": 8, "15": 8, "16": 8, "17": 8, "18": 8, "19": 8, "20": 4,
    "31": 10, "32": 10, "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
}

GS = "\x1d"

# ---------------------------------------------------------------------------
# Escaping used in the .tsv files (see README.md): every byte outside the
# printable ASCII range 0x21..0x7E (so also space, tab, GS, CR, LF) is written
# \xHH with two upper-case hex digits, and a backslash is written \\.
# Nothing else is escaped; a cell never holds a tab or a space.


def esc(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0x21 <= o <= 0x7E:
            out.append(ch)
        else:
            for b in ch.encode("utf-8"):
                out.append("\\x%02X" % b)
    return "".join(out)


# ---------------------------------------------------------------------------
# A small C lexer: string literals (concatenated, escapes decoded),
# identifiers, numbers, punctuation; comments are skipped but each line's
# trailing // comment is kept as a note.

C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'",
             "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "?": "?"}


def lex(text):
    toks = []  # (kind, value, line)
    comments = {}  # line -> trailing // comment
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            comments[line] = text[i + 2:j].strip()
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            line += text.count("\n", i, j)
            i = j + 2
        elif c == "#" and (i == 0 or text[i - 1] == "\n" or
                           text[text.rfind("\n", 0, i) + 1:i].strip() == ""):
            # Preprocessor line (with continuations): skipped.
            while True:
                j = text.find("\n", i)
                j = n if j < 0 else j
                if text[j - 1] == "\\":
                    line += 1
                    i = j + 1
                    continue
                i = j
                break
        elif c == '"':
            j = i + 1
            val = []
            while text[j] != '"':
                if text[j] == "\\":
                    e = text[j + 1]
                    if e == "x":
                        k = j + 2
                        while k < n and text[k] in "0123456789abcdefABCDEF":
                            k += 1
                        val.append(chr(int(text[j + 2:k], 16)))
                        j = k
                        continue
                    if e in "01234567" and text[j + 2:j + 3].isdigit():
                        k = j + 1
                        while k < j + 4 and text[k] in "01234567":
                            k += 1
                        val.append(chr(int(text[j + 1:k], 8)))
                        j = k
                        continue
                    val.append(C_ESCAPES[e])
                    j += 2
                else:
                    val.append(text[j])
                    j += 1
            s = "".join(val)
            if toks and toks[-1][0] == "str":  # "a" "b" concatenation
                toks[-1] = ("str", toks[-1][1] + s, toks[-1][2])
            else:
                toks.append(("str", s, line))
            i = j + 1
        elif c == "'":
            j = text.index("'", i + 3 if text[i + 1] == "\\" else i + 2)
            toks.append(("char", text[i:j + 1], line))
            i = j + 1
        elif c.isalnum() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            toks.append(("id", text[i:j], line))
            i = j
        else:
            if text.startswith("->", i):
                toks.append(("p", "->", line))
                i += 2
            else:
                toks.append(("p", c, line))
                i += 1
    return toks, comments


def calls(toks, names):
    """Yields (name, args, first_line, last_line, enclosing test function,
    option state) for every call to one of `names` whose arguments are all
    literals. Also tracks the engine options the test sets between calls."""
    opts = {}
    func = None
    depth = 0
    i = 0
    while i < len(toks):
        kind, val, line = toks[i]
        if kind == "p" and val == "{":
            depth += 1
        elif kind == "p" and val == "}":
            depth -= 1
        elif (kind == "id" and depth == 0 and i + 1 < len(toks) and
              toks[i + 1][1] == "(" and toks[i - 1][1] == "void"):
            func = val
            opts = {}
        elif kind == "id" and val.startswith("gs1_encoder_set") and depth > 0:
            name = val[len("gs1_encoder_set"):]
            if name in ("PermitUnknownAIs", "PermitZeroSuppressedGTINinDLuris",
                        "ValidationEnabled", "AddCheckDigit"):
                j, args = collect_args(toks, i + 1)
                argv = [a[1] for a in args[1:]]
                key = name if name != "ValidationEnabled" else argv[0]
                opts[key] = argv[-1]
                i = j
                continue
        elif (kind == "id" and val == "ctx" and toks[i + 1][1] == "->" and
              toks[i + 2][1].startswith("permit") and toks[i + 3][1] == "="):
            opts[toks[i + 2][1]] = toks[i + 4][1]
        elif (kind == "id" and val in names and depth > 0 and
              toks[i + 1][1] == "("):
            j, args = collect_args(toks, i + 1)
            if all(a[0] in ("str", "id") for a in args) and any(
                    a[0] == "str" for a in args):
                state = ",".join("%s=%s" % (k, v) for k, v in sorted(opts.items())
                                 if not is_default(k, v))
                yield val, args, line, toks[j - 1][2], func, state
            i = j
            continue
        i += 1


DEFAULTS = {"PermitUnknownAIs": "false", "PermitZeroSuppressedGTINinDLuris": "false",
            "AddCheckDigit": "false", "permitConvenienceAlphas": "false"}


def is_default(k, v):
    if k.startswith("gs1_encoder_v"):
        return v == "true"  # every validation is enabled by default
    return DEFAULTS.get(k) == v


def collect_args(toks, i):
    """toks[i] is "(": returns (index after ")", [(kind, value)] per argument;
    an argument of more than one token is ("expr", text))."""
    assert toks[i][1] == "("
    depth, i = 1, i + 1
    args, cur = [], []
    while depth:
        kind, val, _ = toks[i]
        if kind == "p" and val in "([{":
            depth += 1
        elif kind == "p" and val in ")]}":
            depth -= 1
            if depth == 0:
                break
        if depth == 1 and kind == "p" and val == ",":
            args.append(cur)
            cur = []
        else:
            cur.append((kind, val))
        i += 1
    if cur:
        args.append(cur)
    out = []
    for a in args:
        out.append(a[0] if len(a) == 1 else ("expr", " ".join(v for _, v in a)))
    return i + 1, out


# ---------------------------------------------------------------------------
# AI data forms.


def parse_bracketed(s):
    """"(01)123(10)A\\(B" -> [("01", "123"), ("10", "A(B")], or None when it is
    not well-formed bracketed AI data (the engine's "\\(" escapes a bracket)."""
    if not s.startswith("("):
        return None
    pairs = []
    i = 0
    while i < len(s):
        if s[i] != "(":
            return None
        j = s.find(")", i)
        if j < 0:
            return None
        ai = s[i + 1:j]
        if not (2 <= len(ai) <= 4 and ai.isdigit()):
            return None
        i = j + 1
        val = []
        while i < len(s) and s[i] != "(":
            if s.startswith("\\(", i):
                val.append("(")
                i += 2
            else:
                val.append(s[i])
                i += 1
        pairs.append((ai, "".join(val)))
    return pairs


def element_string(pairs):
    """The element string a GS1 scanner sends for `pairs` (no symbology
    identifier): GS after each variable-length element but the last."""
    out = []
    for k, (ai, val) in enumerate(pairs):
        out.append(ai + val)
        predefined = PREDEFINED_LENGTH.get(ai[:2])
        if k + 1 < len(pairs) and (predefined is None or
                                   predefined != len(ai) + len(val)):
            out.append(GS)
    return "".join(out)


def caret_to_scan(data, symbology="]C1"):
    """Engine data string "^01...^10..." (leading "^" = FNC1 in first
    position, others = separators) -> scan data, or None without the
    leading FNC1."""
    if not data.startswith("^"):
        return None
    return symbology + data[1:].replace("^", GS)


def flat(s):
    return s.replace("^", "").replace("|", "")


def pairs_text(pairs):
    return " ".join("%s=%s" % (ai, esc(v)) for ai, v in pairs)


# ---------------------------------------------------------------------------
# The engine, when built (see README.md).


class Engine:
    def __init__(self, path):
        L = ctypes.CDLL(path)
        L.gs1_encoder_init.restype = ctypes.c_void_p
        L.gs1_encoder_init.argtypes = [ctypes.c_void_p]
        for f in ("setScanData", "setAIdataStr", "setDataStr"):
            fn = getattr(L, "gs1_encoder_" + f)
            fn.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
            fn.restype = ctypes.c_bool
        for f in ("getAIdataStr", "getErrMsg", "getDataStr"):
            fn = getattr(L, "gs1_encoder_" + f)
            fn.argtypes = [ctypes.c_void_p]
            fn.restype = ctypes.c_char_p
        L.gs1_encoder_free.argtypes = [ctypes.c_void_p]
        self.L = L

    def run(self, how, data):
        """-> (ok, error message, [(ai, value)] or None when no AI data)."""
        L = self.L
        ctx = L.gs1_encoder_init(None)
        try:
            ok = getattr(L, "gs1_encoder_" + how)(ctx, data.encode("latin-1"))
            err = (L.gs1_encoder_getErrMsg(ctx) or b"").decode("latin-1")
            ai = L.gs1_encoder_getAIdataStr(ctx) if ok else None
            pairs = parse_bracketed(ai.decode("latin-1")) if ai else None
            return ok, err, pairs
        finally:
            L.gs1_encoder_free(ctx)


# ---------------------------------------------------------------------------

COLUMNS = ["id", "source", "test", "options", "expect", "form", "symbology",
           "input", "expected_ai", "elements", "engine", "error_ais", "verdict",
           "basis", "note"]


class Extractor:
    def __init__(self, engine, commit):
        self.engine = engine
        self.commit = commit
        self.rows = {}
        self.excluded = []
        self.problems = []

    def add(self, out, file, line, test, opts, expect, form, data, expected_ai,
            pairs, note, how=None):
        """One vector fed in one form. `pairs`: the expected AI data as the
        engine's test states it (None: the test states none)."""
        base = "%s_L%d" % (file.replace(".", "_").replace("-", "_"), line)
        vid = base + {"scan": "", "hri": "_hri", "gs1": "_gs1", "dl": ""}[form]
        while vid in self.rows:  # two vectors on one line (a table row)
            vid += "x"
        sym = data[:3] if data.startswith("]") and len(data) >= 3 else ""
        engine = ""
        verdict, basis = expect, "test"
        if self.engine:
            how = how or {"scan": "setScanData", "gs1": "setScanData",
                          "hri": "setAIdataStr", "dl": "setDataStr"}[form]
            ok, err, epairs = self.engine.run(how, data)
            engine = "valid" if ok else "invalid: " + err
            if expect == "invalid" and ok:
                if form == "gs1":
                    # Our conversion to an element string made another,
                    # valid barcode: not this vector.
                    self.excluded.append((vid, "element string of an invalid "
                                          "vector reads as another valid barcode"))
                    return
                self.problems.append("%s: test says invalid, engine accepts" % vid)
            if expect == "valid" and not ok:
                verdict = "invalid"
                basis = "engine"
            if expect == "valid" and ok:
                if pairs is None:
                    pairs = epairs or []
                    basis = "test+engine" if epairs else "test"
                elif (epairs is not None and epairs != pairs and
                      not (data[:2] in ("]E", "]e") and epairs == pairs[1:])):
                    # (The engine's AI data omits the GTIN of an EAN/UPC
                    # primary, which its test states as the primary digits.)
                    self.problems.append("%s: elements %s, engine %s" % (vid, pairs, epairs))
        error_ais = []
        if verdict == "invalid" and engine.startswith("invalid"):
            error_ais = named_ais(engine)
            if self.engine and RULE.search(engine):
                error_ais = self.other_broken_rules(form, data, error_ais)
        if verdict == "invalid":
            pairs = []
        self.rows[vid] = True
        out.append({
            "id": vid, "source": "src/c-lib/%s:%d" % (file, line), "test": test,
            "options": opts or "-", "expect": expect, "form": form,
            "symbology": sym or "-", "input": esc(data) if data else "\"\"",
            "expected_ai": esc(expected_ai) if expected_ai else "-",
            "elements": pairs_text(pairs) if pairs else "-",
            "engine": esc(engine) if engine else "-",
            "error_ais": ",".join(error_ais) or "-",
            "verdict": verdict, "basis": basis,
            "note": esc(note) if note else "-"})

    def other_broken_rules(self, form, data, named):
        """A scan can break several pairing rules (req/ex); the engine names
        the first it checks. Removing the elements it names and asking again
        gives the AIs of the other rules the scan breaks: a refusal naming
        any of them is right."""
        pairs = scan_pairs(form, data)
        if pairs is None:
            return named
        named = list(named)
        while True:
            rest = [p for p in pairs if p[0] not in named]
            if not rest:
                return named
            bracketed = "".join("(%s)%s" % (ai, v.replace("(", "\\("))
                                for ai, v in rest)
            ok, err, _ = self.engine.run("setAIdataStr", bracketed)
            more = [a for a in named_ais(err) if a not in named]
            if ok or not RULE.search(err) or not more:
                return named
            if could_need_removed(err, named):
                return named  # that rule held before the removal
            named.extend(more)

    def exclude(self, file, line, data, reason):
        self.excluded.append(("src/c-lib/%s:%d %s" % (file, line, esc(data)), reason))

    # -- scandata.c ---------------------------------------------------------

    def scandata(self, toks, comments):
        out = []
        for name, args, line, last, func, opts in calls(
                toks, {"test_testProcessScanData", "test_testGenerateScanData"}):
            note = comments.get(last, "") or comments.get(line, "")
            if name == "test_testProcessScanData":
                ok, scan, sym, data = (a[1] for a in args)
                expect = "valid" if ok == "true" else "invalid"
                pairs = None
                if expect == "valid":
                    pairs = data_pairs(data)
                self.add(out, "scandata.c", line, "processScanData", opts, expect,
                         "scan", scan, data, pairs, note)
            else:
                sym, data, scan = (a[1] for a in args)
                if scan == "NULL":
                    self.exclude("scandata.c", line, data,
                                 "the engine cannot encode this data: no scan "
                                 "data exists to feed")
                    continue
                self.add(out, "scandata.c", line, "generateScanData", opts,
                         "valid", "scan", scan, data, data_pairs(data, scan),
                         note)
        return out

    # -- ai.c ---------------------------------------------------------------

    def ai(self, toks, comments, text):
        out = []
        for name, args, line, last, func, opts in calls(
                toks, {"test_parseAIdata", "test_processAIdata", "test_validateAIs"}):
            note = comments.get(last, "") or comments.get(line, "")
            if name == "test_processAIdata":
                ok, data = args[0][1], args[1][1]
                expect = "valid" if ok == "true" else "invalid"
                scan = caret_to_scan(data)
                if scan is None:
                    self.exclude("ai.c", line, data,
                                 "raw data without FNC1 in first position: a GS1 "
                                 "scan always has it (its symbology identifier "
                                 "says so), so no scan corresponds")
                    continue
                self.add(out, "ai.c", line, "processAIdata", opts, expect, "gs1",
                         scan, data, None, note)
                continue
            if name == "test_parseAIdata":
                ok, data = args[0][1], args[1][1]
                test = "parseAIdata"
            else:
                ok, fn, data = args[0][1], args[1][1], args[2][1]
                test = "validateAIs/" + fn
            expect = "valid" if ok == "true" else "invalid"
            self.bracketed(out, line, test, opts, expect, data, note)
        # The linter table: { "(AI)data", GS1_LINTER_... },
        start = text.index("void test_ai_linters(void)")
        end = text.index("};", start)
        base_line = text.count("\n", 0, start) + 1
        for k, ln in enumerate(text[start:end].split("\n")):
            m = re.match(r'\s*\{\s*"([^"]*)",\s*(GS1_LINTER_\w+)\s*\},?\s*(//.*)?$', ln)
            if not m:
                continue
            data = m.group(1)
            expect = "valid" if m.group(2) == "GS1_LINTER_OK" else "invalid"
            self.bracketed(out, base_line + k, "linters", "", expect, data,
                           m.group(2))
        return out

    def bracketed(self, out, line, test, opts, expect, data, note):
        pairs = parse_bracketed(data)
        if pairs is None or any("(" in v for _, v in pairs):
            if pairs is None:
                why = "not well-formed bracketed AI data"
            else:
                why = ("a value holds \"(\", which printed human-readable text "
                       "cannot show unambiguously")
            self.excluded.append(("ai_c_L%d_hri" % line, why + "; fed as an "
                                  "element string only" if pairs else why))
        else:
            self.add(out, "ai.c", line, test, opts, expect, "hri", data, data,
                     pairs if expect == "valid" else None, note)
        if pairs is not None:
            self.add(out, "ai.c", line, test, opts, expect, "gs1",
                     "]C1" + element_string(pairs), data,
                     pairs if expect == "valid" else None, note)

    # -- dl.c ---------------------------------------------------------------

    def dl(self, toks, comments):
        out = []
        for name, args, line, last, func, opts in calls(
                toks, {"test_parseDLuri", "test_testGenerateDLuri"}):
            note = comments.get(last, "") or comments.get(line, "")
            if name == "test_parseDLuri":
                ok, uri, data = (a[1] for a in args)
                expect = "valid" if ok == "true" else "invalid"
                self.add(out, "dl.c", line, "parseDLuri", opts, expect, "dl", uri,
                         data, data_pairs(data) if expect == "valid" else None,
                         note)
            else:
                ok, stem, data, uri = (a[1] for a in args)
                if ok != "true":
                    self.exclude("dl.c", line, data,
                                 "the engine generates no URI for this AI data: "
                                 "no URI exists to feed")
                    continue
                # The test states AI data -> URI; read back, the URI carries
                # its elements in URI order, once each: those come from the
                # engine reading the URI (basis test+engine).
                self.add(out, "dl.c", line, "generateDLuri", opts, "valid", "dl",
                         uri, data, None, note)
        return out


# Engine messages for a pairing rule (req / ex) the scan breaks.
RULE = re.compile(r"Required AIs for AI|It is invalid to pair")


def named_ais(message):
    """AIs an engine message names, in order."""
    out = []
    for m in re.finditer(r"AI \((\d+)\)|Unrecognised AI: (\d+)", message):
        ai = m.group(1) or m.group(2)
        if ai not in out:
            out.append(ai)
    return out


def could_need_removed(message, removed):
    """Whether a "Required AIs ... not satisfied: 01,31nn,8006+21" message
    lists one of the `removed` AIs among the ones that would satisfy it."""
    _, _, alternatives = message.partition("not satisfied: ")
    for alternative in alternatives.split(","):
        for ai in alternative.split("+"):
            stem = ai.rstrip("n")
            if any(r.startswith(stem) and len(r) == len(ai.strip())
                   for r in removed):
                return True
    return False


def scan_pairs(form, data):
    """The (AI, value) pairs of a fed bracketed or element-string input, or
    None."""
    if form == "hri":
        return parse_bracketed(data)
    if form == "gs1" and data.startswith("]C1"):
        return split_caret("^" + data[3:].replace(GS, "^"))
    return None


def data_pairs(data, scan=None):
    """The (AI, value) pairs of an engine data string as a test states it:
    "^0112...^10ABC" (FNC1-separated element string), "2112345678900|^99..."
    (EAN/UPC primary, then a composite component), or a URI / plain data
    (None: the test states no AI data for it). When the test states the scan
    data an EAN/UPC primary gives (`scan`), its GTIN is read from there (with
    AddCheckDigit the test's data lacks the check digit)."""
    if not data:
        return None
    primary, _, cc = data.partition("|")
    pairs = []
    if primary and not primary.startswith("^"):
        if not primary.isdigit():
            return None  # plain data or a URI
        if scan and scan.startswith("]E"):
            primary = scan[3:].partition("|")[0]
        pairs.append(("01", primary.zfill(14)))
        primary = ""
    for part in (primary, cc):
        if part:
            got = split_caret(part)
            if got is None:
                return None
            pairs.extend(got)
    return pairs


def split_caret(data):
    """"^0112312312312333235XYZ^10ABC" -> pairs, using the GS1 AI-length
    rule (the first two digits fix the AI's length) and the predefined-length
    table; None when that does not split it unambiguously."""
    pairs = []
    for seg in data.lstrip("^").split("^"):
        while seg:
            ai_len = ai_length(seg[:2])
            if ai_len is None or len(seg) < ai_len:
                return None
            ai = seg[:ai_len]
            fixed = PREDEFINED_LENGTH.get(ai[:2])
            if fixed is not None and len(seg) >= fixed:
                pairs.append((ai, seg[ai_len:fixed]))
                seg = seg[fixed:]
            else:
                pairs.append((ai, seg[ai_len:]))
                seg = ""
    return pairs


def ai_length(two):
    """GS1 General Specifications figure 3.2-1 (the AI's length, known from
    its first two digits)."""
    if not two.isdigit() or len(two) != 2:
        return None
    p = int(two)
    if p <= 3 or 10 <= p <= 22 or p == 30 or p == 37 or 90 <= p <= 99:
        return 2
    if 23 <= p <= 29 or 40 <= p <= 42 or p == 71:
        return 3
    if 31 <= p <= 36 or p == 39 or 43 <= p <= 49 or p == 70 or 72 <= p <= 89:
        return 4
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", default="/work/.mirror/gs1+gs1-syntax-engine/repo",
                    help="git directory of gs1/gs1-syntax-engine")
    ap.add_argument("--commit", default="HEAD")
    ap.add_argument("--engine", help="the engine's libgs1encoders.so, built "
                    "from the same commit (gives the engine column)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    commit = subprocess.check_output(
        ["git", "-C", a.repo, "rev-parse", a.commit], text=True).strip()

    def show(name):
        return subprocess.check_output(
            ["git", "-C", a.repo, "show", "%s:src/c-lib/%s" % (commit, name)],
            text=True, encoding="latin-1")

    ex = Extractor(Engine(a.engine) if a.engine else None, commit)
    texts = {f: show(f) for f in SOURCES}
    lexed = {f: lex(texts[f]) for f in ("scandata.c", "ai.c", "dl.c")}
    outputs = {
        "scandata.tsv": ex.scandata(*lexed["scandata.c"]),
        "ai.tsv": ex.ai(*lexed["ai.c"], texts["ai.c"]),
        "dl.tsv": ex.dl(*lexed["dl.c"]),
    }
    header = ("# Test vectors of GS1 Barcode Syntax Engine (github.com/gs1/"
              "gs1-syntax-engine), commit %s, Apache License 2.0.\n"
              "# Extracted by extract.py; see README.md for the columns and "
              "the escaping. Do not edit by hand.\n" % commit)
    for name, rows in outputs.items():
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write(header)
            f.write("\t".join(COLUMNS) + "\n")
            for r in rows:
                f.write("\t".join(r[c] for c in COLUMNS) + "\n")
        print("%s: %d rows" % (name, len(rows)))
    with open(os.path.join(a.out, "excluded.tsv"), "w", encoding="utf-8") as f:
        f.write(header)
        f.write("vector\treason\n")
        for vid, why in ex.excluded:
            f.write("%s\t%s\n" % (vid, why))
    print("excluded.tsv: %d rows" % len(ex.excluded))
    for p in ex.problems:
        print("note:", p, file=sys.stderr)


if __name__ == "__main__":
    main()
