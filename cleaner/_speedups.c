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

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS, setup_doc},
    {"text_rows", text_rows, METH_VARARGS, text_rows_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "cleaner._speedups",
    "What a line's text says, in C, for lines of printable ASCII (see cleaner/_speedups.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
