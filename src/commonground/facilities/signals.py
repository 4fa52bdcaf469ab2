"""Events of facilities that higher apps act on (their receivers connect in their AppConfig.ready;
decision 0026: facilities never imports them)."""

from django.dispatch import Signal

# sent inside the creating transaction, once the row exists: facility=Facility, user=the creator
facility_created = Signal()

# sent inside the merging transaction, before the merged row is marked: kept=Facility, merged=Facility,
# user=the person merging. Receivers move what they hold of `merged` to `kept` (decision 0040).
facility_merged = Signal()
