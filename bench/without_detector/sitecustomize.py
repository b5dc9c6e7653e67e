"""Only for ``bench/load.py --detector off``: every text passes the crisis detector unread.

Python imports ``sitecustomize`` at start when it is on ``PYTHONPATH``; the
benchmark puts this folder there for the server it starts, so the same code
serves with and without the detector in one sitting. Never on a real server.
"""

import bot.safety.detector as _detector


def _unread(self: _detector.Detector, text: str) -> _detector.Finding:
    return _detector.NOTHING


_detector.Detector.check = _unread  # type: ignore[method-assign]
