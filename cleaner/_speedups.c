/* cleaner._speedups: what a line's text says (classify._text_features), in C,
 * for lines of printable ASCII (most lines of most dumps); every other line
 * is left to the Python code, which gives the same bytes for every line.
 *
 * Optional: `pip install .` builds it where a C compiler is found and goes on
 * without it where none is (cleaner.speedups then uses the Python code); the
 * environment variable CLEANER_PURE_PYTHON=1 makes cleaner ignore it.
 *
 * Each text's row is _TEXT_ROW_DOUBLES doubles (see classify.py): TEXT_HEAD,
 * TEXT_MIDDLE and the len_ge_* flags. Every number is the one the Python code
 * makes: counts are exact, a ratio is one IEEE division (as Python's true
 * division of two small ints), and the two logarithms are read from a table
 * Python's math.log1p made, or asked of it for a larger number.
 *
 * Also an article's band keys for the article index (dupindex.sketch) and a
 * page's line fingerprints (sitemodel), at the end of this file: the same
 * integers as the Python code.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define HEAD_DOUBLES 13
#define MIDDLE_DOUBLES 2
#define N_LENGTH_BINS 5
#define ROW_DOUBLES (HEAD_DOUBLES + MIDDLE_DOUBLES + N_LENGTH_BINS)
#define MAX_STOPWORD_CHARS 8
#define SENTENCE_END_TAIL 6

typedef struct {
    uint64_t *stopwords; /* the ASCII stop words, each packed into a uint64, sorted */
    Py_ssize_t n_stopwords;
    double *log1p_table; /* math.log1p(k) for k below n_log1p */
    Py_ssize_t n_log1p;
    long length_bins[N_LENGTH_BINS];
    PyObject *log1p; /* math.log1p, for numbers past the table */
    int ready;
} State;

static State state;

static int is_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c; }

static int compare_keys(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int is_stopword(const unsigned char *token, Py_ssize_t length) {
    if (length > MAX_STOPWORD_CHARS) {
        return 0;
    }
    uint64_t key = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        key = (key << 8) | lower(token[i]);
    }
    return bsearch(&key, state.stopwords, (size_t)state.n_stopwords, sizeof(uint64_t), compare_keys) != NULL;
}

static int log1p_of(Py_ssize_t n, double *out) {
    if (n < state.n_log1p) {
        *out = state.log1p_table[n];
        return 0;
    }
    PyObject *value = PyObject_CallFunction(state.log1p, "n", n);
    if (value == NULL) {
        return -1;
    }
    *out = PyFloat_AsDouble(value);
    Py_DECREF(value);
    return PyErr_Occurred() ? -1 : 0;
}

/* Whether needle (lower case) is in text[0:n], case blind. */
static int contains_lower(const unsigned char *text, Py_ssize_t n, const char *needle) {
    Py_ssize_t m = (Py_ssize_t)strlen(needle);
    for (Py_ssize_t i = 0; i + m <= n; i++) {
        Py_ssize_t k = 0;
        while (k < m && lower(text[i + k]) == (unsigned char)needle[k]) {
            k++;
        }
        if (k == m) {
            return 1;
        }
    }
    return 0;
}

static int contains(const unsigned char *text, Py_ssize_t n, const char *needle) {
    Py_ssize_t m = (Py_ssize_t)strlen(needle);
    for (Py_ssize_t i = 0; i + m <= n; i++) {
        if (memcmp(text + i, needle, (size_t)m) == 0) {
            return 1;
        }
    }
    return 0;
}

/* URLISH (https?://|www\.|\S@\S|@\w) in printable ASCII, where the only space is " ". */
static int is_urlish(const unsigned char *s, Py_ssize_t n) {
    if (contains(s, n, "http://") || contains(s, n, "https://") || contains(s, n, "www.")) {
        return 1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] != '@' || i + 1 >= n) {
            continue;
        }
        if (is_word(s[i + 1]) || (i > 0 && s[i - 1] != ' ' && s[i + 1] != ' ')) {
            return 1;
        }
    }
    return 0;
}

/* The row of one text of printable ASCII (s, its first n characters; full, its length). */
static int text_row(const unsigned char *s, Py_ssize_t n, Py_ssize_t full, double *row) {
    Py_ssize_t tokens = 0, stopwords = 0, titled = 0, upper = 0, upper_long = 0, word_chars = 0, spaces = 0;
    Py_ssize_t digits = 0, commas = 0, marks = 0, separators = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (!is_word(c)) {
            if (c == ' ') {
                spaces++;
            } else if (c == ',') {
                commas++;
            } else if (c == '|' || c == '>' || c == '/') {
                separators++;
            }
            if ((c == '.' || c == '!' || c == '?' || c == ';') && (i + 1 == n || s[i + 1] == ' ')) {
                marks++;
            }
            i++;
            continue;
        }
        Py_ssize_t start = i;
        int has_upper = 0, has_lower = 0;
        while (i < n && is_word(s[i])) {
            c = s[i];
            if (c >= 'A' && c <= 'Z') {
                has_upper = 1;
            } else if (c >= 'a' && c <= 'z') {
                has_lower = 1;
            } else if (c >= '0' && c <= '9') {
                digits++;
            }
            i++;
        }
        Py_ssize_t length = i - start;
        tokens++;
        word_chars += length;
        stopwords += is_stopword(s + start, length);
        titled += (s[start] >= 'A' && s[start] <= 'Z');
        if (has_upper && !has_lower) { /* str.isupper */
            upper++;
            upper_long += length > 1;
        }
    }
    /* spaced dashes, " - ", as SPACED_DASH.findall counts them (matches do not overlap) */
    for (Py_ssize_t j = 0; j + 2 < n;) {
        if (s[j] == ' ' && s[j + 1] == '-' && s[j + 2] == ' ') {
            separators++;
            j += 3;
        } else {
            j++;
        }
    }
    Py_ssize_t n_words = tokens > 1 ? tokens : 1;
    Py_ssize_t n_chars = n > 1 ? n : 1;
    Py_ssize_t symbols = n - word_chars - spaces;
    double ends_sentence = 0.0, ends_colon = 0.0, sentence_marks = 0.0, comma_ratio = 0.0, separator_ratio = 0.0;
    double urlish = 0.0;
    if (symbols) {
        Py_ssize_t tail = n < SENTENCE_END_TAIL ? 0 : n - SENTENCE_END_TAIL, j = n;
        while (j > tail && (s[j - 1] == '"' || s[j - 1] == '\'' || s[j - 1] == ')' || s[j - 1] == ']')) {
            j--;
        }
        ends_sentence = (j > tail && (s[j - 1] == '.' || s[j - 1] == '!' || s[j - 1] == '?')) ? 1.0 : 0.0;
        ends_colon = (n > 0 && s[n - 1] == ':') ? 1.0 : 0.0;
        sentence_marks = (double)marks / (double)n_words * 5;
        sentence_marks = sentence_marks < 1.0 ? sentence_marks : 1.0;
        comma_ratio = (double)commas / (double)n_words * 5;
        comma_ratio = comma_ratio < 1.0 ? comma_ratio : 1.0;
        separator_ratio = (double)separators / 3;
        separator_ratio = separator_ratio < 1.0 ? separator_ratio : 1.0;
        urlish = is_urlish(s, n) ? 1.0 : 0.0;
    }
    double log_chars, log_words;
    if (log1p_of(full, &log_chars) < 0 || log1p_of(tokens, &log_words) < 0) {
        return -1;
    }
    row[0] = log_chars;
    row[1] = log_words;
    row[2] = ends_sentence;
    row[3] = ends_colon;
    row[4] = sentence_marks;
    row[5] = comma_ratio;
    row[6] = (double)stopwords / (double)n_words;
    row[7] = (double)titled / (double)n_words;
    row[8] = (double)(upper ? upper_long : 0) / (double)n_words;
    row[9] = (double)digits / (double)n_chars;
    row[10] = (double)symbols / (double)n_chars;
    row[11] = (n > 0 && !is_alnum(s[0])) ? 1.0 : 0.0;
    row[12] = separator_ratio;
    row[13] = urlish;
    row[14] = (contains_lower(s, n, "(c)") || contains_lower(s, n, "copyright")
               || contains_lower(s, n, "all rights reserved")) ? 1.0 : 0.0;
    for (int k = 0; k < N_LENGTH_BINS; k++) {
        row[HEAD_DOUBLES + MIDDLE_DOUBLES + k] = full >= state.length_bins[k] ? 1.0 : 0.0;
    }
    return 0;
}

/* Whether s[0:n] is all printable ASCII (" " to "~"). */
static int printable_ascii(const unsigned char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return 0;
        }
    }
    return 1;
}

PyDoc_STRVAR(setup_doc,
"setup(stopwords, log1p_table, length_bins, log1p)\n\n"
"The fixed knowledge text_rows reads: the stop words (those of ASCII letters\n"
"are used), math.log1p(k) for k = 0, 1, ..., the length bins, and math.log1p.");

static PyObject *setup(PyObject *self, PyObject *args) {
    PyObject *words, *table, *bins, *log1p;
    if (!PyArg_ParseTuple(args, "OOOO", &words, &table, &bins, &log1p)) {
        return NULL;
    }
    PyObject *word_list = PySequence_Fast(words, "stopwords must be iterable");
    PyObject *table_list = PySequence_Fast(table, "log1p_table must be a sequence");
    PyObject *bin_list = PySequence_Fast(bins, "length_bins must be a sequence");
    if (word_list == NULL || table_list == NULL || bin_list == NULL) {
        goto fail;
    }
    if (PySequence_Fast_GET_SIZE(bin_list) != N_LENGTH_BINS) {
        PyErr_SetString(PyExc_ValueError, "length_bins: wrong number of bins");
        goto fail;
    }
    Py_ssize_t n_words = PySequence_Fast_GET_SIZE(word_list), n_table = PySequence_Fast_GET_SIZE(table_list);
    uint64_t *keys = PyMem_Calloc((size_t)(n_words + 1), sizeof(uint64_t));
    double *values = PyMem_Calloc((size_t)(n_table + 1), sizeof(double));
    if (keys == NULL || values == NULL) {
        PyMem_Free(keys);
        PyMem_Free(values);
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t n_keys = 0;
    for (Py_ssize_t i = 0; i < n_words; i++) {
        Py_ssize_t length;
        const char *word = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(word_list, i), &length);
        if (word == NULL) {
            PyMem_Free(keys);
            PyMem_Free(values);
            goto fail;
        }
        int plain = length <= MAX_STOPWORD_CHARS;
        uint64_t key = 0;
        for (Py_ssize_t k = 0; plain && k < length; k++) {
            unsigned char c = (unsigned char)word[k];
            plain = c >= 0x20 && c <= 0x7e && c == lower(c);
            key = (key << 8) | c;
        }
        if (plain && length > 0) {
            keys[n_keys++] = key;
        }
    }
    qsort(keys, (size_t)n_keys, sizeof(uint64_t), compare_keys);
    for (Py_ssize_t i = 0; i < n_table; i++) {
        values[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(table_list, i));
    }
    for (int k = 0; k < N_LENGTH_BINS; k++) {
        state.length_bins[k] = PyLong_AsLong(PySequence_Fast_GET_ITEM(bin_list, k));
    }
    if (PyErr_Occurred()) {
        PyMem_Free(keys);
        PyMem_Free(values);
        goto fail;
    }
    PyMem_Free(state.stopwords);
    PyMem_Free(state.log1p_table);
    Py_XDECREF(state.log1p);
    state.stopwords = keys;
    state.n_stopwords = n_keys;
    state.log1p_table = values;
    state.n_log1p = n_table;
    Py_INCREF(log1p);
    state.log1p = log1p;
    state.ready = 1;
    Py_DECREF(word_list);
    Py_DECREF(table_list);
    Py_DECREF(bin_list);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(word_list);
    Py_XDECREF(table_list);
    Py_XDECREF(bin_list);
    return NULL;
}

PyDoc_STRVAR(text_rows_doc,
"text_rows(texts, sample_chars) -> (bytes, list[int])\n\n"
"Each text's row of doubles, one after another, read from its first\n"
"sample_chars characters; and the indexes of the texts that are not printable\n"
"ASCII there, whose rows are left 0.0 for the caller to make.");

static PyObject *text_rows(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_ssize_t sample_chars;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &texts, &sample_chars)) {
        return NULL;
    }
    if (!state.ready) {
        PyErr_SetString(PyExc_RuntimeError, "cleaner._speedups.setup() was not called");
        return NULL;
    }
    Py_ssize_t n_texts = PyList_GET_SIZE(texts);
    PyObject *table = PyBytes_FromStringAndSize(NULL, n_texts * ROW_DOUBLES * (Py_ssize_t)sizeof(double));
    PyObject *others = PyList_New(0);
    if (table == NULL || others == NULL) {
        goto fail;
    }
    double *rows = (double *)PyBytes_AS_STRING(table);
    memset(rows, 0, (size_t)(n_texts * ROW_DOUBLES) * sizeof(double));
    for (Py_ssize_t t = 0; t < n_texts; t++) {
        PyObject *text = PyList_GET_ITEM(texts, t);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto fail;
        }
        Py_ssize_t full = PyUnicode_GET_LENGTH(text);
        Py_ssize_t n = full < sample_chars ? full : sample_chars;
        const unsigned char *s = PyUnicode_IS_ASCII(text) ? (const unsigned char *)PyUnicode_DATA(text) : NULL;
        if (s == NULL || !printable_ascii(s, n)) {
            PyObject *index = PyLong_FromSsize_t(t);
            if (index == NULL || PyList_Append(others, index) < 0) {
                Py_XDECREF(index);
                goto fail;
            }
            Py_DECREF(index);
            continue;
        }
        if (text_row(s, n, full, rows + t * ROW_DOUBLES) < 0) {
            goto fail;
        }
    }
    return Py_BuildValue("(NN)", table, others);
fail:
    Py_XDECREF(table);
    Py_XDECREF(others);
    return NULL;
}

/* ---- An article's band keys (dupindex.sketch.band_keys), a page's line
 * fingerprints (sitemodel.line_fingerprints) ----
 * Each shingle (SHINGLE_WORDS words joined by spaces, as UTF-8) hashed with
 * BLAKE2b of 8 bytes (RFC 7693, no key: hashlib.blake2b(digest_size=8)), as a
 * little-endian integer; each bin keeps the smallest hash >> 8 of its shingles,
 * an empty bin is densified, and each band's values are hashed again. A line's
 * fingerprint: BLAKE2b of 8 bytes of its match key, read big-endian. The same
 * integers as the Python code, which runs where this is not built. */

static const uint64_t blake2b_iv[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const unsigned char blake2b_sigma[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
};

static inline uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static inline uint64_t load64(const unsigned char *p) {
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) {
        x = (x << 8) | p[i];
    }
    return x;
}

#define BLAKE2B_G(a, b, c, d, x, y)     \
    do {                                \
        a = a + b + (x);                \
        d = rotr64(d ^ a, 32);          \
        c = c + d;                      \
        b = rotr64(b ^ c, 24);          \
        a = a + b + (y);                \
        d = rotr64(d ^ a, 16);          \
        c = c + d;                      \
        b = rotr64(b ^ c, 63);          \
    } while (0)

static void blake2b_compress(uint64_t h[8], const unsigned char block[128], uint64_t counter, int last) {
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {
        m[i] = load64(block + 8 * i);
    }
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = blake2b_iv[i];
    }
    v[12] ^= counter; /* the counter's high word stays 0: inputs are far below 2**64 bytes */
    if (last) {
        v[14] = ~v[14];
    }
    for (int r = 0; r < 12; r++) {
        const unsigned char *s = blake2b_sigma[r];
        BLAKE2B_G(v[0], v[4], v[8], v[12], m[s[0]], m[s[1]]);
        BLAKE2B_G(v[1], v[5], v[9], v[13], m[s[2]], m[s[3]]);
        BLAKE2B_G(v[2], v[6], v[10], v[14], m[s[4]], m[s[5]]);
        BLAKE2B_G(v[3], v[7], v[11], v[15], m[s[6]], m[s[7]]);
        BLAKE2B_G(v[0], v[5], v[10], v[15], m[s[8]], m[s[9]]);
        BLAKE2B_G(v[1], v[6], v[11], v[12], m[s[10]], m[s[11]]);
        BLAKE2B_G(v[2], v[7], v[8], v[13], m[s[12]], m[s[13]]);
        BLAKE2B_G(v[3], v[4], v[9], v[14], m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

/* BLAKE2b of 8 bytes of n bytes of data, read little-endian. */
static uint64_t blake2b_8(const unsigned char *data, size_t n) {
    uint64_t h[8];
    unsigned char block[128];
    memcpy(h, blake2b_iv, sizeof h);
    h[0] ^= 0x01010000ULL ^ 8; /* depth 1, fanout 1, no key, 8 bytes out */
    uint64_t counter = 0;
    while (n > 128) {
        counter += 128;
        blake2b_compress(h, data, counter, 0);
        data += 128;
        n -= 128;
    }
    memset(block, 0, sizeof block);
    memcpy(block, data, n);
    blake2b_compress(h, block, counter + n, 1);
    return h[0];
}

PyDoc_STRVAR(band_keys_doc,
"band_keys(words, shingle_words, bands, rows) -> tuple of bands signed ints, or None\n\n"
"dupindex.sketch.band_keys of a list of at least one word (str); None where a word\n"
"cannot be UTF-8 (the Python code then says so).");

static PyObject *band_keys(PyObject *self, PyObject *args) {
    PyObject *words;
    Py_ssize_t shingle_words, bands, rows;
    if (!PyArg_ParseTuple(args, "O!nnn", &PyList_Type, &words, &shingle_words, &bands, &rows)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(words), n_bins = bands * rows;
    if (n < 1 || shingle_words < 1 || bands < 1 || rows < 1 || bands > 256 || n_bins > 255) {
        PyErr_SetString(PyExc_ValueError, "band_keys: no words, or bands and rows out of range");
        return NULL;
    }
    Py_ssize_t span = shingle_words < n ? shingle_words : n;
    const char **texts = PyMem_Malloc(n * sizeof *texts);
    Py_ssize_t *sizes = PyMem_Malloc(n * sizeof *sizes);
    uint64_t *mins = PyMem_Malloc(n_bins * sizeof *mins);
    uint64_t *values = PyMem_Malloc(n_bins * sizeof *values);
    char *filled = PyMem_Calloc(n_bins, 1);
    unsigned char *shingle = NULL;
    PyObject *keys = NULL;
    if (texts == NULL || sizes == NULL || mins == NULL || values == NULL || filled == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    size_t longest = 0, window = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "band_keys: words must be str");
            goto done;
        }
        texts[i] = PyUnicode_AsUTF8AndSize(word, &sizes[i]);
        if (texts[i] == NULL) { /* a lone surrogate: the Python code raises its own error */
            PyErr_Clear();
            keys = Py_NewRef(Py_None);
            goto done;
        }
        window += sizes[i] + 1;
        if (i >= span) {
            window -= sizes[i - span] + 1;
        }
        if (i >= span - 1 && window > longest) {
            longest = window;
        }
    }
    shingle = PyMem_Malloc(longest + 1);
    if (shingle == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t start = 0; start + span <= n; start++) {
        size_t length = 0;
        for (Py_ssize_t w = start; w < start + span; w++) {
            if (w > start) {
                shingle[length++] = ' ';
            }
            memcpy(shingle + length, texts[w], sizes[w]);
            length += sizes[w];
        }
        uint64_t hash = blake2b_8(shingle, length);
        Py_ssize_t bin = (Py_ssize_t)(hash % (uint64_t)n_bins);
        uint64_t value = hash >> 8;
        if (!filled[bin] || value < mins[bin]) {
            mins[bin] = value;
            filled[bin] = 1;
        }
    }
    /* sketch._densified: from the right, twice round */
    Py_ssize_t donor = -1;
    memset(values, 0, n_bins * sizeof *values);
    for (Py_ssize_t position = 2 * n_bins - 1; position >= 0; position--) {
        Py_ssize_t slot = position % n_bins;
        if (filled[slot]) {
            donor = position;
            values[slot] = mins[slot] << 8;
        } else if (position < n_bins && donor >= 0) {
            values[slot] = (mins[donor % n_bins] << 8) | (uint64_t)(donor - position);
        }
    }
    keys = PyTuple_New(bands);
    if (keys == NULL) {
        goto done;
    }
    unsigned char packed[1 + 8 * 255];
    for (Py_ssize_t band = 0; band < bands; band++) {
        packed[0] = (unsigned char)band;
        for (Py_ssize_t r = 0; r < rows; r++) {
            uint64_t value = values[band * rows + r];
            for (int b = 0; b < 8; b++) {
                packed[1 + 8 * r + b] = (unsigned char)(value >> (8 * b));
            }
        }
        PyObject *key = PyLong_FromLongLong((long long)blake2b_8(packed, 1 + 8 * rows));
        if (key == NULL) {
            Py_CLEAR(keys);
            goto done;
        }
        PyTuple_SET_ITEM(keys, band, key);
    }
done:
    PyMem_Free(texts);
    PyMem_Free(sizes);
    PyMem_Free(mins);
    PyMem_Free(values);
    PyMem_Free(filled);
    PyMem_Free(shingle);
    return keys;
}

PyDoc_STRVAR(line_fingerprints_doc,
"line_fingerprints(keys) -> list of ints, or None\n\n"
"BLAKE2b of 8 bytes of each str's UTF-8, read big-endian (sitemodel.line_fingerprints'\n"
"values, in order); None where a key cannot be UTF-8 (the Python code then says so).");

static PyObject *line_fingerprints(PyObject *self, PyObject *keys) {
    if (!PyList_Check(keys)) {
        PyErr_SetString(PyExc_TypeError, "line_fingerprints: keys must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(keys);
    PyObject *found = PyList_New(n);
    if (found == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PyList_GET_ITEM(keys, i);
        if (!PyUnicode_Check(key)) {
            Py_DECREF(found);
            PyErr_SetString(PyExc_TypeError, "line_fingerprints: keys must be str");
            return NULL;
        }
        Py_ssize_t size;
        const char *text = PyUnicode_AsUTF8AndSize(key, &size);
        if (text == NULL) { /* a lone surrogate: the Python code raises its own error */
            PyErr_Clear();
            Py_DECREF(found);
            Py_RETURN_NONE;
        }
        uint64_t hash = blake2b_8((const unsigned char *)text, (size_t)size), value = 0;
        for (int b = 0; b < 8; b++) { /* the digest's bytes, first byte highest */
            value = (value << 8) | ((hash >> (8 * b)) & 0xff);
        }
        PyObject *item = PyLong_FromUnsignedLongLong(value);
        if (item == NULL) {
            Py_DECREF(found);
            return NULL;
        }
        PyList_SET_ITEM(found, i, item);
    }
    return found;
}

/* ---- end of the band keys and line fingerprints ---- */

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS, setup_doc},
    {"text_rows", text_rows, METH_VARARGS, text_rows_doc},
    {"band_keys", band_keys, METH_VARARGS, band_keys_doc},
    {"line_fingerprints", line_fingerprints, METH_O, line_fingerprints_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "cleaner._speedups",
    "What a line's text says, in C, for lines of printable ASCII (see cleaner/_speedups.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
