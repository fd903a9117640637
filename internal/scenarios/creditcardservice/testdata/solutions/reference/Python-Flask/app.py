import sqlite3

from flask import Flask, jsonify, request

DB_PATH = "db.sqlite3"
MAX_PHONES = 100


def connect():
    return sqlite3.connect(DB_PATH, timeout=10)


def init_db():
    with connect() as conn:
        conn.execute(
            """CREATE TABLE IF NOT EXISTS associations (
                credit_card TEXT NOT NULL,
                phone TEXT NOT NULL,
                PRIMARY KEY (credit_card, phone)
            )"""
        )


app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024


@app.post("/associate_card")
def associate():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify({"error": "invalid request"}), 400
    card, phone = body.get("credit_card"), body.get("phone")
    if not isinstance(card, str) or not isinstance(phone, str) or not card.strip() or not phone.strip():
        return jsonify({"error": "credit_card and phone are required"}), 400
    with connect() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)", (card.strip(), phone.strip())
        )
    return jsonify({"message": "association created"}), 201


@app.post("/retrieve_cards")
def retrieve():
    body = request.get_json(silent=True)
    phones = body.get("phone_numbers") if isinstance(body, dict) else None
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        return jsonify({"error": "phone_numbers must be an array of strings"}), 400
    # A lookup must name at least one phone: an empty set would otherwise match every card.
    if not 1 <= len(phones) <= MAX_PHONES:
        return jsonify({"error": "phone_numbers must list 1 to 100 phone numbers"}), 400
    distinct = []
    for p in phones:
        p = p.strip()
        if not p:
            return jsonify({"error": "empty phone number"}), 400
        if p not in distinct:
            distinct.append(p)
    placeholders = ",".join("?" for _ in distinct)
    with connect() as conn:
        rows = conn.execute(
            "SELECT credit_card FROM associations WHERE phone IN (" + placeholders + ") "
            "GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card",
            (*distinct, len(distinct)),
        ).fetchall()
    if not rows:
        return jsonify({"error": "no cards found"}), 404
    return jsonify({"card_numbers": [r[0] for r in rows]}), 200


if __name__ == "__main__":
    init_db()
    app.run(host="0.0.0.0", port=5000)
