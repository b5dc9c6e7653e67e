"""Channel adapters: each turns a platform's messages into InboundMessage and back."""
