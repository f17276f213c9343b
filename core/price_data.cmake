# Compiles core/data/prices.json into the binary, so an installed ftprep needs no data directory. The JSON is
# wrapped in a C++ raw string; reconfiguring (automatic when the JSON changes) regenerates it.
set(FTPREP_PRICES_JSON ${CMAKE_SOURCE_DIR}/core/data/prices.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FTPREP_PRICES_JSON})
file(READ ${FTPREP_PRICES_JSON} FTPREP_PRICES_TEXT)
string(FIND "${FTPREP_PRICES_TEXT}" ")ftprep_prices\"" FTPREP_PRICES_BAD)
if(NOT FTPREP_PRICES_BAD EQUAL -1)
  message(FATAL_ERROR "core/data/prices.json must not contain the raw-string delimiter )ftprep_prices\"")
endif()
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/generated/ftprep_prices_data.inc
     CONTENT "// Generated from core/data/prices.json by core/price_data.cmake. Do not edit.\nR\"ftprep_prices(@FTPREP_PRICES_TEXT@)ftprep_prices\"\n"
     @ONLY)
