/*
 * The cover check through the C ABI (issue #24): a C timing loop over
 * delcredere_engine_cover, against the engine of benches/engine.rs (10,000 buyers x 100
 * events: a limit applied and granted, 49 invoices and 49 payments each), buyer 4242, a
 * delivery of 10,000.00 EUR on 2026-06-15 at 60 days, asked on 2026-06-15: the prepared check
 * that criterion's `engine/cover_figures` times in Rust. benches/c_abi/run.sh builds and runs
 * it with the Rust loop of benches/c_abi.rs beside it; figures in benches/RESULTS.md.
 *
 * Usage: cover [calls per round, default 2000000] [rounds, default 7] [buyers, default 10000].
 * Prints the median of the rounds, in ns per call, for the check by id (numbers) and by key
 * (text). With fewer buyers the buyer checked is the last one (for a quick run under
 * callgrind).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "delcredere.h"

#define NUL DELCREDERE_NUL_TERMINATED

static void must(delcredere_status status, delcredere_error *error, const char *what) {
    if (status == DELCREDERE_STATUS_OK) return;
    fprintf(stderr, "%s: %s at %s: %s\n", what, error ? error->code : "?", error ? error->field : "?",
            error ? error->message : "?");
    exit(1);
}

/* yyyy-mm-dd of a day number (days since 1970-01-01): H. Hinnant's civil_from_days. */
static void iso(int32_t z, char out[32]) {
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    uint32_t doe = (uint32_t)(z - era * 146097);
    uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t y = (int32_t)yoe + era * 400;
    uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    uint32_t mp = (5 * doy + 2) / 153;
    uint32_t d = doy - (153 * mp + 2) / 5 + 1;
    uint32_t m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 32, "%04d-%02u-%02u", (int)(y + (m <= 2)), m, d);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The events of buyer `b` (benches/engine.rs, buyer_events), as apply_all takes them. */
static size_t events_json(int b, const char *key, int32_t start, char *out, size_t cap) {
    char d[32];
    size_t n = 0;
    iso(start, d);
    n += (size_t)snprintf(out + n, cap - n,
                          "[{\"buyer\":\"%s\",\"event\":{\"type\":\"limitApplied\",\"id\":\"a\",\"date\":\"%s\","
                          "\"requestedAmount\":{\"amount\":\"50000.00\",\"currency\":\"EUR\"},\"paymentTermsDays\":60}}",
                          key, d);
    iso(start + 1, d);
    n += (size_t)snprintf(out + n, cap - n,
                          ",{\"buyer\":\"%s\",\"event\":{\"type\":\"limitGranted\",\"id\":\"g\",\"date\":\"%s\","
                          "\"amount\":{\"amount\":\"50000.00\",\"currency\":\"EUR\"}}}",
                          key, d);
    /* Invoice k on day 2 + 5k, its payment 30 days later: in date order, as they happen (a
     * payment before an invoice of the same day, as the stable sort of benches/engine.rs has
     * them). */
    int64_t inv = 0, pay = 0;
    while (pay < 49) {
        int32_t inv_day = 2 + (int32_t)inv * 5, pay_day = 32 + (int32_t)pay * 5;
        int is_invoice = inv < 49 && inv_day < pay_day;
        int64_t k = is_invoice ? inv : pay;
        int64_t cents = 100000 + (((int64_t)b * 7919 + k * 104729) % 900000);
        iso(start + (is_invoice ? inv_day : pay_day), d);
        if (is_invoice) {
            n += (size_t)snprintf(out + n, cap - n,
                                  ",{\"buyer\":\"%s\",\"event\":{\"type\":\"invoiceIssued\",\"id\":\"i%lld\",\"date\":\"%s\","
                                  "\"reference\":\"INV-%lld\",\"amount\":{\"amount\":\"%lld.%02lld\",\"currency\":\"EUR\"},"
                                  "\"paymentTermsDays\":30}}",
                                  key, (long long)k, d, (long long)k, (long long)(cents / 100), (long long)(cents % 100));
            inv++;
        } else {
            n += (size_t)snprintf(out + n, cap - n,
                                  ",{\"buyer\":\"%s\",\"event\":{\"type\":\"paymentReceived\",\"id\":\"p%lld\",\"date\":\"%s\","
                                  "\"amount\":{\"amount\":\"%lld.%02lld\",\"currency\":\"EUR\"}}}",
                                  key, (long long)k, d, (long long)(cents / 100), (long long)(cents % 100));
            pay++;
        }
    }
    n += (size_t)snprintf(out + n, cap - n, "]");
    return n;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 2000000;
    int rounds = argc > 2 ? atoi(argv[2]) : 7;
    int buyers = argc > 3 ? atoi(argv[3]) : 10000;
    if (calls <= 0 || rounds <= 0 || rounds > 99 || buyers <= 0 || buyers > 99999) return 2;
    int checked = buyers > 4242 ? 4242 : buyers - 1;
    delcredere_error *error = NULL;
    const char *policy =
        "{\"currency\": \"EUR\", \"insuranceYear\": {\"start\": \"2026-01-01\"}, \"agreedCountries\": [\"DE\"],"
        " \"maxCreditPeriodDays\": 120, \"maxExtensionPeriodDays\": 60, \"waitingPeriodDays\": 180,"
        " \"indemnityPercentage\": \"90\", \"maximumLiability\": {\"amount\": \"2000000\", \"currency\": \"EUR\"},"
        " \"premium\": {\"basis\": \"fixed\", \"fixedAmount\": {\"amount\": \"5000\", \"currency\": \"EUR\"}}}";
    delcredere_engine *engine = NULL;
    must(delcredere_engine_new(policy, NUL, &engine, &error), error, "engine_new");
    int32_t start = 0;
    must(delcredere_day_number("2026-01-02", NUL, &start, &error), error, "day_number");
    static char buyer[256], key[16], events[64 * 1024];
    double t0 = now();
    for (int b = 0; b < buyers; b++) {
        snprintf(key, sizeof key, "D-%05d", b);
        snprintf(buyer, sizeof buyer,
                 "{\"legalName\": \"M\xc3\xbcller %d GmbH\", \"legalForm\": \"GmbH\", \"registrationNumber\": \"HRB %d\","
                 " \"country\": \"DE\", \"entityKind\": \"company\"}",
                 b, b);
        must(delcredere_engine_add_buyer(engine, key, NUL, buyer, NUL, NULL, &error), error, "add_buyer");
        size_t len = events_json(b, key, start, events, sizeof events);
        must(delcredere_engine_apply_all(engine, events, len, NULL, &error), error, "apply_all");
    }
    fprintf(stderr, "set-up: %d buyers x 100 events through the C ABI in %.2f s\n", buyers, (now() - t0) / 1e9);

    uint32_t id = 0;
    char checked_key[16];
    snprintf(checked_key, sizeof checked_key, "D-%05d", checked);
    must(delcredere_engine_buyer_id(engine, checked_key, NUL, &id, &error), error, "buyer_id");
    int32_t day = 0;
    must(delcredere_day_number("2026-06-15", NUL, &day, &error), error, "day_number");
    delcredere_cover cover;
    must(delcredere_engine_cover(engine, id, 1000000, 2, day, 60, 0, 0, 0, day, &cover, &error), error, "cover");
    fprintf(stderr, "figures: covered %lld, uncovered %lld (minor units)\n", (long long)cover.covered_minor,
            (long long)cover.uncovered_minor);

    double by_id[99], by_key[99];
    int64_t sink = 0;
    for (int r = 0; r < rounds; r++) {
        double t = now();
        for (long i = 0; i < calls; i++) {
            delcredere_engine_cover(engine, id, 1000000, 2, day, 60, 0, 0, 0, day, &cover, NULL);
            sink += cover.covered_minor;
        }
        by_id[r] = (now() - t) / (double)calls;
        t = now();
        for (long i = 0; i < calls / 4; i++) {
            delcredere_engine_cover_text(engine, checked_key, 7, "10000.00", 8, "2026-06-15", 10, 60, 0, 0, 0,
                                         "2026-06-15", 10, &cover, NULL);
            sink += cover.covered_minor;
        }
        by_key[r] = (now() - t) / (double)(calls / 4);
    }
    qsort(by_id, (size_t)rounds, sizeof by_id[0], by_value);
    qsort(by_key, (size_t)rounds, sizeof by_key[0], by_value);
    printf("c_abi/cover (C, buyer id, plain numbers): %.1f ns per call (median of %d rounds of %ld; min %.1f, max %.1f)\n",
           by_id[rounds / 2], rounds, calls, by_id[0], by_id[rounds - 1]);
    printf("c_abi/cover_text (C, buyer key, decimal and ISO text): %.1f ns per call (median of %d rounds of %ld; min %.1f, max %.1f)\n",
           by_key[rounds / 2], rounds, calls / 4, by_key[0], by_key[rounds - 1]);
    if (sink == 42) puts("");
    must(delcredere_engine_free(engine), NULL, "free");
    return 0;
}
