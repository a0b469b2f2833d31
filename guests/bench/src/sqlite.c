/* sqlite: a large third-party program. Drives the SQLite amalgamation (fetched by the
 * benchmark build from an npm package, see bench/lib/sqlite.mjs) through an in-memory
 * database: create two tables, fill them in a transaction with prepared statements,
 * build indexes, then run aggregate, join, LIKE, index-lookup, window, recursive-CTE,
 * UPDATE and DELETE statements. Every result value is hashed as text.
 * SIZE is the number of order rows. Modelled on SPEC's large-program
 * workloads (gcc, xalancbmk, omnetpp): lots of code, many small functions.
 *
 * Only integers and text cross the API: floating-point text conversion inside SQLite
 * may use long double, whose precision differs between x86-64 and riscv64. */
#include "bench.h"
#include "sqlite3.h"

static sqlite3 *db;
static uint64_t digest;
static uint64_t rows_seen;

static void check(int rc, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "sqlite: %s: %s\n", sql, err ? err : "?");
    exit(1);
  }
}

/* Runs a query, hashing every value of every row; returns the first column of the
 * last row as an integer (handy for scalar queries). */
static int64_t query_stmt(sqlite3_stmt *st) {
  int64_t last = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int nc = sqlite3_column_count(st);
    for (int c = 0; c < nc; c++) {
      const unsigned char *t = sqlite3_column_text(st, c);
      int len = sqlite3_column_bytes(st, c);
      digest = t ? hash_bytes(digest, t, (size_t)len) : mix64(digest, 0xdead);
    }
    last = sqlite3_column_int64(st, 0);
    rows_seen++;
  }
  check(rc, "step");
  check(sqlite3_reset(st), "reset");
  return last;
}

static int64_t query(const char *sql) {
  sqlite3_stmt *st;
  check(sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
  int64_t v = query_stmt(st);
  sqlite3_finalize(st);
  return v;
}

static void make_name(rng_t *r, char *out, int maxlen) {
  static const char *syl[] = {"an", "bel", "cor", "dra", "el", "fin", "gar", "hol",
                              "is", "jo", "ka", "lin", "mor", "nes", "or", "pa"};
  int len = 0, n = 2 + (int)rng_below(r, 3);
  for (int i = 0; i < n; i++) {
    const char *s = syl[rng_below(r, 16)];
    while (*s && len < maxlen - 1) out[len++] = *s++;
  }
  out[0] = (char)(out[0] - 32);
  out[len] = 0;
}

int main(int argc, char **argv) {
  int64_t norders = (int64_t)bench_size(argc, argv, 200000), ncust = norders / 10 + 10;
  rng_t r = {1701};
  check(sqlite3_open(":memory:", &db), "open");
  exec("CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,"
       " balance INTEGER NOT NULL)");
  exec("CREATE TABLE orders(id INTEGER PRIMARY KEY, cust INTEGER NOT NULL REFERENCES customer(id),"
       " item TEXT NOT NULL, qty INTEGER NOT NULL, price INTEGER NOT NULL, day INTEGER NOT NULL)");

  static const char *cities[] = {"Amsterdam", "Berlin", "Cairo", "Denver", "Edinburgh", "Fukuoka",
                                 "Geneva", "Hanoi", "Istanbul", "Jakarta", "Kyoto", "Lima"};
  exec("BEGIN");
  sqlite3_stmt *ins;
  check(sqlite3_prepare_v2(db, "INSERT INTO customer VALUES(?1, ?2, ?3, ?4)", -1, &ins, NULL), "prepare");
  for (int64_t i = 1; i <= ncust; i++) {
    char name[32];
    make_name(&r, name, (int)sizeof name);
    uint32_t city = rng_below(&r, 12), bal = rng_below(&r, 100000);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, cities[city], -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 4, (int64_t)bal - 20000);
    check(sqlite3_step(ins), "insert customer");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  check(sqlite3_prepare_v2(db, "INSERT INTO orders(cust, item, qty, price, day) VALUES(?1, ?2, ?3, ?4, ?5)",
                           -1, &ins, NULL), "prepare");
  for (int64_t i = 0; i < norders; i++) {
    char item[16];
    uint32_t a = rng_below(&r, (uint32_t)ncust), b = rng_below(&r, (uint32_t)ncust);
    int64_t cust = 1 + (int64_t)((uint64_t)a * b / (uint64_t)ncust); /* skewed: some big customers */
    uint32_t sku = rng_below(&r, 5000), qty = 1 + rng_below(&r, 20), price = 100 + rng_below(&r, 99900);
    uint32_t day = rng_below(&r, 365);
    snprintf(item, sizeof item, "sku-%c%c-%04u", 'a' + (int)(sku % 26), 'a' + (int)(sku / 26 % 26), sku);
    sqlite3_bind_int64(ins, 1, cust);
    sqlite3_bind_text(ins, 2, item, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, qty);
    sqlite3_bind_int64(ins, 4, price);
    sqlite3_bind_int64(ins, 5, day);
    check(sqlite3_step(ins), "insert order");
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  exec("CREATE INDEX orders_cust ON orders(cust)");
  exec("CREATE INDEX orders_day_item ON orders(day, item)");
  exec("CREATE INDEX customer_city ON customer(city, balance)");
  exec("ANALYZE");

  query("SELECT city, count(*), sum(balance), min(balance), max(balance) FROM customer GROUP BY city ORDER BY city");
  int64_t revenue_top = query(
      "SELECT sum(o.qty * o.price) AS revenue, c.city FROM orders o JOIN customer c ON c.id = o.cust"
      " GROUP BY c.city ORDER BY revenue DESC");
  int64_t like = query("SELECT count(*) FROM orders WHERE item LIKE '%-ab-%' OR item GLOB '*7?7'");
  query("SELECT item, count(*), CAST(avg(price) AS INTEGER), sum(qty) FROM orders GROUP BY item"
        " HAVING count(*) > 3 ORDER BY sum(qty) DESC, item LIMIT 50");
  query("SELECT name FROM customer ORDER BY name, id LIMIT 20 OFFSET 5");

  /* Many small indexed lookups through one prepared statement. */
  sqlite3_stmt *look;
  check(sqlite3_prepare_v2(db, "SELECT count(*), coalesce(sum(qty * price), 0) FROM orders WHERE cust = ?1", -1,
                           &look, NULL), "prepare");
  int64_t lookups = norders / 4, lsum = 0;
  for (int64_t i = 0; i < lookups; i++) {
    sqlite3_bind_int64(look, 1, 1 + rng_below(&r, (uint32_t)ncust));
    lsum += query_stmt(look);
  }
  sqlite3_finalize(look);
  check(sqlite3_prepare_v2(db, "SELECT day, item, qty FROM orders WHERE day = ?1 AND item >= ?2 ORDER BY item LIMIT 3",
                           -1, &look, NULL), "prepare");
  for (int64_t i = 0; i < lookups / 4; i++) {
    char item[16];
    uint32_t sku = rng_below(&r, 5000);
    snprintf(item, sizeof item, "sku-%c", 'a' + (int)(sku % 26));
    sqlite3_bind_int64(look, 1, rng_below(&r, 365));
    sqlite3_bind_text(look, 2, item, -1, SQLITE_TRANSIENT);
    query_stmt(look);
  }
  sqlite3_finalize(look);

  query("SELECT day, sum(r) FROM (SELECT day, row_number() OVER (PARTITION BY day ORDER BY price DESC, id) AS r"
        " FROM orders WHERE qty > 18) WHERE r <= 3 GROUP BY day ORDER BY day");
  char cte[200];
  snprintf(cte, sizeof cte, "WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < %lld)"
           " SELECT sum(x * x %% 97), count(*) FROM cnt", (long long)(norders / 20 + 10));
  query(cte);
  exec("UPDATE customer SET balance = balance + (SELECT coalesce(sum(qty), 0) FROM orders WHERE cust = customer.id)"
       " WHERE id % 7 = 0");
  exec("DELETE FROM orders WHERE qty < 3 AND day % 2 = 0");
  int64_t left = query("SELECT count(*) FROM orders");
  query("SELECT c.id, c.name, c.balance, count(o.id) FROM customer c LEFT JOIN orders o ON o.cust = c.id"
        " WHERE c.city = 'Kyoto' GROUP BY c.id ORDER BY count(o.id) DESC, c.id LIMIT 25");
  int64_t integrity = query("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'");
  if (integrity != 1) fail("sqlite", "integrity_check");

  printf("sqlite: SQLite %s, %lld customers, %lld orders (%lld after delete), %lld lookups\n", sqlite3_libversion(),
         (long long)ncust, (long long)norders, (long long)left, (long long)lookups);
  printf("sqlite: top city revenue %lld, like/glob matches %lld, lookup sum %lld, %llu result rows\n",
         (long long)revenue_top, (long long)like, (long long)lsum, (unsigned long long)rows_seen);
  sqlite3_close(db);
  print_checksum("sqlite", digest);
  return 0;
}
