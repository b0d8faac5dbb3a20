"""The pages people work in, served by the app itself: the customer chat (``/chat`` and the
embeddable ``/widget.js``), the agent console (``/console``), the supervisor dashboard
(``/dashboard``) and the API reference (``/docs``). Pages are static HTML and JavaScript that use the
public REST and WebSocket API, nothing else; third-party browser code comes from npm through
``scripts/build-web.sh`` and is served from ``/static/vendor`` (no request leaves the machine)."""
