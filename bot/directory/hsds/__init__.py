"""Open Referral HSDS: import 1.x/2.0/3.0 publications, export HSDS 3.0."""
