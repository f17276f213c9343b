# Compiles the provider profiles (validators/profiles/*.json) into the binary as raw strings, so an installed
# ftprep needs no data directory. Reconfiguring (automatic when a profile changes or one is added) regenerates.
file(GLOB FTPREP_PROFILE_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/validators/profiles/*.json)
list(SORT FTPREP_PROFILE_FILES)
set(FTPREP_PROFILES_INC "// Generated from validators/profiles/*.json by core/profiles_data.cmake. Do not edit.\n")
foreach(f ${FTPREP_PROFILE_FILES})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
  file(READ ${f} FTPREP_PROFILE_TEXT)
  string(FIND "${FTPREP_PROFILE_TEXT}" ")ftprep_profile\"" FTPREP_PROFILE_BAD)
  if(NOT FTPREP_PROFILE_BAD EQUAL -1)
    message(FATAL_ERROR "${f} must not contain the raw-string delimiter )ftprep_profile\"")
  endif()
  get_filename_component(FTPREP_PROFILE_NAME ${f} NAME_WE)
  string(APPEND FTPREP_PROFILES_INC "{\"${FTPREP_PROFILE_NAME}\", R\"ftprep_profile(${FTPREP_PROFILE_TEXT})ftprep_profile\"},\n")
endforeach()
# WRITE + COPYONLY (not CONFIGURE) so that "@" in profiles is kept and the file only changes when its text does.
file(WRITE ${CMAKE_BINARY_DIR}/generated/ftprep_profiles_data.inc.tmp "${FTPREP_PROFILES_INC}")
configure_file(${CMAKE_BINARY_DIR}/generated/ftprep_profiles_data.inc.tmp
               ${CMAKE_BINARY_DIR}/generated/ftprep_profiles_data.inc COPYONLY)
