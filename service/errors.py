"""JSON errors: one exception class for the API's own errors, one handler for HTTP errors."""

from flask import current_app, jsonify
from werkzeug.exceptions import HTTPException

CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
         413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_input",
         500: "internal_error", 503: "not_ready"}


class APIError(Exception):
    """An error the client can fix (or a not-ready service), rendered as JSON."""

    def __init__(self, status, message, code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        self.headers = headers or {}


def error_response(status, code, message, headers=None):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def register_error_handlers(app):
    @app.errorhandler(APIError)
    def handle_api_error(err):
        return error_response(err.status, err.code, err.message, err.headers)

    @app.errorhandler(HTTPException)
    def handle_http_error(err):
        headers = {k: v for k, v in err.get_headers() if k.lower() == "allow"}
        message = err.description
        if err.code == 413:
            message = f"the request body is larger than the limit of {current_app.config['MAX_CONTENT_LENGTH']} bytes"
        return error_response(err.code, CODES.get(err.code, "http_error"), message, headers)

    @app.errorhandler(Exception)
    def handle_unexpected(err):
        app.logger.exception("unhandled error")
        return error_response(500, "internal_error", "the server failed to process the request")
